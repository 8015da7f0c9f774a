// Loads TypeScript sources of the checkout into a bench: bundles `entry` (a module path relative
// to the repository, or inline `contents`) with esbuild into a temporary directory, imports it and
// removes the directory. Packages stay external and resolve from the checkout's node_modules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './processes.mjs';

/** Bundles and imports `entry` (e.g. 'bench/nab/nab-run.ts'); resolves to its exports. */
export async function importTs(entry) {
  const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-'));
  try {
    await build({
      entryPoints: [join(ROOT, entry)], bundle: true, format: 'esm', platform: 'node', target: 'node20',
      outfile: join(work, 'bundle.mjs'), logLevel: 'warning', packages: 'external', absWorkingDir: ROOT,
      nodePaths: [join(ROOT, 'node_modules')],
    });
    return await import(pathToFileURL(join(work, 'bundle.mjs')).href);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
