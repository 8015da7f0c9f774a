/**
 * Flag parsing for every command, on node:util parseArgs: unknown flags and missing values are
 * usage errors (exit 2) that name the flag and, for a typo, the flag it was probably meant to be.
 * A negative number is a value, not a flag: `--center -5` means `--center=-5`.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { didYouMean } from '@sigmascope/protocol/suggest';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/** `--flag -5` becomes `--flag=-5` for string flags, so parseArgs takes the number as the value. */
function joinNegativeValues(argv: readonly string[], spec: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : null;
    if (name !== null && spec[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Parses argv against `spec` (plus --help). Throws ConfigError naming the bad flag. */
export function parseFlags(command: string, argv: string[], spec: FlagSpec, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, spec), options: { ...spec, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/\. To specify.*$/s, '') : String(err);
    const unknown = /^Unknown option '(--?[^']+)'/.exec(message);
    if (unknown) {
      const typed = (unknown[1] as string).split('=')[0] as string;
      throw new ConfigError(command, `unknown flag ${typed}${didYouMean(typed, [...Object.keys(spec), 'help'].map((k) => `--${k}`))}; see 'sigmascope ${command} --help'`);
    }
    throw new ConfigError(command, message);
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
