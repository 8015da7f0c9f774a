/**
 * Flag parsing for every command, on node:util parseArgs: unknown flags and missing values are
 * usage errors (exit 2) that name the flag.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@sigmascope/protocol/config-error';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** Parses argv against `spec` (plus --help). Throws ConfigError naming the bad flag. */
export function parseFlags(command: string, argv: string[], spec: FlagSpec, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...spec, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    throw new ConfigError(command, err instanceof Error ? err.message.replace(/\. To specify.*$/s, '') : String(err));
  }
}

/** An integer flag within [min, max]; undefined when absent. */
export function intFlag(values: Parsed['values'], name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`--${name}`, `${JSON.stringify(raw)} is not an integer in [${min}, ${max}]`);
  }
  return n;
}

/** A string flag; undefined when absent. */
export function stringFlag(values: Parsed['values'], name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new ConfigError(`--${name}`, 'expects a value');
  return raw;
}
