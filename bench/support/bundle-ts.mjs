// Loads TypeScript sources of the checkout into a bench: bundles `entry` (a module path relative
// to the repository) with esbuild into a temporary directory, imports it and removes the
// directory. The workspace packages (@sigmascope/*) are bundled; every other package stays
// external, resolved to its file in the checkout's node_modules as the importing source would.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './processes.mjs';

const fromCheckout = {
  name: 'from-checkout',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@sigmascope/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      return { path: createRequire(args.importer || join(ROOT, 'package.json')).resolve(args.path), external: true };
    });
  },
};

/** Bundles and imports `entry` (e.g. 'bench/nab/nab-run.ts'); resolves to its exports. */
export async function importTs(entry) {
  const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-'));
  try {
    await build({
      entryPoints: [join(ROOT, entry)], bundle: true, format: 'esm', platform: 'node', target: 'node20',
      outfile: join(work, 'bundle.mjs'), logLevel: 'warning', absWorkingDir: ROOT, plugins: [fromCheckout],
    });
    return await import(pathToFileURL(join(work, 'bundle.mjs')).href);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
