/**
 * A secret in the alerts config (a webhook `secret`, a Slack `url`, an SMTP `pass`): written in
 * the file as it is, or — better, so the config file holds no secret — as `{file: PATH}` (the
 * file's content, trailing newline removed) or `{env: NAME}` (an environment variable). Every
 * secret read is registered with the logger's redaction, and no error message ever shows it.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { registerSecret } from '@sigmascope/protocol/log';
import { strictSection } from './strict-keys.ts';

/** The secret's text; throws a ConfigError naming `where` (and the file or variable, never the value). */
export function secretValue(raw: unknown, where: string, env: Readonly<Record<string, string | undefined>>): string {
  let value: string;
  if (typeof raw === 'string') value = raw;
  else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const s = strictSection(raw, where, ['file', 'env']);
    if ((s.file === undefined) === (s.env === undefined)) throw new ConfigError(where, 'give the secret as a string, {file: PATH} or {env: NAME}');
    if (s.file !== undefined) {
      if (typeof s.file !== 'string' || s.file === '') throw new ConfigError(`${where}.file`, `${JSON.stringify(s.file)} is not a file path`);
      try {
        value = readFileSync(s.file, 'utf8').replace(/\r?\n$/, '');
      } catch (err) {
        throw new ConfigError(`${where}.file`, `cannot read ${JSON.stringify(s.file)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    } else {
      if (typeof s.env !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.env)) throw new ConfigError(`${where}.env`, `${JSON.stringify(s.env)} is not an environment variable name`);
      const e = env[s.env];
      if (e === undefined || e === '') throw new ConfigError(`${where}.env`, `the environment variable ${s.env} is not set`);
      value = e;
    }
  } else throw new ConfigError(where, 'give the secret as a string, {file: PATH} or {env: NAME}');
  if (value.length === 0) throw new ConfigError(where, 'the secret is empty');
  registerSecret(value);
  return value;
}
