// Bundles TypeScript modules of the repository for Node 20 (npm packages stay external) and
// imports the bundle. It is written to node_modules/.cache/, two folders below the root, where
// tests/support/fixtures.ts looks for tests/fixtures, so benches can use the test support.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './processes.mjs';

/** Bundles `lines` (export statements with absolute paths; `ROOT` is the repository) as `name` and imports it. */
export async function importBundle(name, lines) {
  const external = new Set();
  for (const pkg of ['package.json', 'protocol/package.json', 'agent/package.json', 'collector/package.json', 'web/package.json']) {
    const json = JSON.parse(readFileSync(join(ROOT, pkg), 'utf8'));
    for (const f of ['dependencies', 'devDependencies']) for (const n of Object.keys(json[f] ?? {})) if (!n.startsWith('@sigmascope/')) external.add(n);
  }
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const entry = join(cache, `${name}-entry.ts`);
  const out = join(cache, `${name}-bundle.mjs`);
  writeFileSync(entry, lines.join('\n'));
  await build({ absWorkingDir: ROOT, entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', external: [...external].flatMap((n) => [n, `${n}/*`]), logLevel: 'warning' });
  return import(pathToFileURL(out).href);
}

/** `--name value` and bare `--flag` arguments as an object. */
export function parseArgs(argv) {
  return Object.fromEntries(argv.reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1] === undefined || all[i + 1].startsWith('--') ? true : all[i + 1]]] : acc), []));
}
