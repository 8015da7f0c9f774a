/**
 * Checks for configuration values read from files, the environment and flags. Each throws a
 * ConfigError that names where the value came from and the value itself.
 */
import { ConfigError } from './config-error.ts';
import { didYouMean } from './suggest.ts';

export function intValue(raw: unknown, where: string, min: number, max: number): number {
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(where, `${JSON.stringify(raw)} is not an integer in [${min}, ${max}]`);
  }
  return n;
}

export function stringValue(raw: unknown, where: string, pattern?: RegExp, hint?: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new ConfigError(where, `${JSON.stringify(raw)} is not a non-empty string`);
  if (pattern && !pattern.test(raw)) throw new ConfigError(where, `${JSON.stringify(raw)} is not ${hint ?? `of the form ${pattern}`}`);
  return raw;
}

export function boolValue(raw: unknown, where: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(where, `${JSON.stringify(raw)} is not true or false`);
}

export function enumValue<T extends string>(raw: unknown, where: string, allowed: readonly T[]): T {
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) throw new ConfigError(where, `${JSON.stringify(raw)} is not one of ${allowed.join(', ')}`);
  return raw as T;
}

/** A plain object section of a config file; refuses keys not in `known` so typos fail loudly. */
export function section(raw: unknown, where: string, known: readonly string[]): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(where, 'must be a mapping');
  for (const k of Object.keys(raw)) if (!known.includes(k)) throw new ConfigError(`${where}.${k}`, `unknown setting${didYouMean(k, known)} (known: ${known.join(', ')})`);
  return raw as Record<string, unknown>;
}

/** Byte sizes as a number or with a unit: 256MiB, 32 MiB, 1GiB, 500kB. */
export function bytesValue(raw: unknown, where: string, min: number, max: number): number {
  let n: number | undefined;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|kB|MB|GB)?\s*$/.exec(raw);
    const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 } as const;
    if (m) n = Math.round(Number(m[1]) * unit[(m[2] ?? 'B') as keyof typeof unit]);
  }
  if (n === undefined || !Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(where, `${JSON.stringify(raw)} is not a size between ${min} and ${max} bytes (e.g. 256MiB)`);
  return n;
}

export function urlValue(raw: unknown, where: string, protocols: readonly string[]): string {
  const s = stringValue(raw, where);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new ConfigError(where, `${JSON.stringify(s)} is not a URL`);
  }
  if (!protocols.includes(u.protocol)) throw new ConfigError(where, `${JSON.stringify(s)} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return s;
}

/**
 * Picks one setting from its layers, highest first: a command-line flag, then an environment
 * variable, then the config file, then the default. The value is checked with `check`, which is
 * told where it came from so a bad value's message names its source.
 */
export function layeredPicker(env: Readonly<Record<string, string | undefined>>, fileWhere: (key: string) => string) {
  return <T>(flag: T | undefined, flagName: string, envName: string | null, fileValue: unknown, fileKey: string, check: (raw: unknown, where: string) => T, fallback: T): T => {
    if (flag !== undefined) return check(flag, flagName);
    const e = envName === null ? undefined : env[envName];
    if (e !== undefined && e !== '') return check(e, envName as string);
    if (fileValue !== undefined) return check(fileValue, fileWhere(fileKey));
    return fallback;
  };
}

/** A duration with a unit, as ms: 45s, 90m, 12h, 30d. */
export function durationValue(raw: unknown, where: string, minMs: number, maxMs: number): number {
  const m = typeof raw === 'string' ? /^\s*(\d+)\s*(s|m|h|d)\s*$/.exec(raw) : null;
  const ms = m === null ? Number.NaN : Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  if (!Number.isSafeInteger(ms) || ms < minMs || ms > maxMs) throw new ConfigError(where, `${JSON.stringify(raw)} is not a duration between ${minMs / 1000} s and ${maxMs / 86_400_000} days (e.g. 45s, 90m, 12h, 30d)`);
  return ms;
}
