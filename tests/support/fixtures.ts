/**
 * Where the shared real-world captures live: `../shared/fixtures` beside the checkout (nvidia-smi
 * outputs, provider streams, SPC cases, latency traces). Tests read them; nothing writes there.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The fixtures folder; SIGMASCOPE_FIXTURES overrides it for unusual layouts. */
export const FIXTURES_DIR = process.env.SIGMASCOPE_FIXTURES ?? join(REPO_ROOT, '..', 'shared', 'fixtures');

/** Path of one fixture file; throws a clear error when the fixtures are not beside the checkout. */
export function fixture(...parts: string[]): string {
  const p = join(FIXTURES_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`fixture not found: ${p} (the shared fixtures are expected beside the checkout, or set SIGMASCOPE_FIXTURES)`);
  return p;
}
