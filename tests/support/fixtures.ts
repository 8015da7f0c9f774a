/**
 * Where the real-world captures the tests replay live: `tests/fixtures` in this repository
 * (nvidia-smi outputs, provider streams, SPC cases, latency traces, labelled anomaly series), each
 * folder with a README that gives its source and licence. Tests read them; nothing writes there.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The fixtures folder. */
export const FIXTURES_DIR = join(REPO_ROOT, 'tests', 'fixtures');

/** Path of one fixture file; throws a clear error naming the file when it is missing. */
export function fixture(...parts: string[]): string {
  const p = join(FIXTURES_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`fixture not found: ${p}`);
  return p;
}
