/** Parses configuration text (YAML, so JSON too) into a plain mapping; errors name the file and line. */
import { parse } from 'yaml';
import { ConfigError } from './config-error.ts';

export function parseConfigText(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true, uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(file, `not valid YAML: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(file, 'the top level must be a mapping');
  return value as Record<string, unknown>;
}
