/** Reads the agent's configuration file; a missing or unreadable file is a ConfigError naming it. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { parseConfigText } from '@sigmascope/protocol/config-text';

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, `cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseConfigText(text, path);
}
