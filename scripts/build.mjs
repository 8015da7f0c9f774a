// Builds dist/: the CLI and servers for Node (bundled, dependencies left external) and the web
// assets for the browser. Runs from `npm ci` (prepare), from `npm test` and, when sources are
// newer than the build, from bin/sigmascope.js.
import { build } from 'esbuild';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function externalPackages() {
  const names = new Set();
  for (const pkg of ['package.json', 'protocol/package.json', 'agent/package.json', 'collector/package.json', 'web/package.json']) {
    const json = JSON.parse(readFileSync(join(root, pkg), 'utf8'));
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const name of Object.keys(json[field] ?? {})) if (!name.startsWith('@sigmascope/')) names.add(name);
    }
  }
  return [...names].flatMap((n) => [n, `${n}/*`]);
}

export async function buildNode() {
  await build({
    absWorkingDir: root,
    entryPoints: { cli: 'cli/main.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    external: externalPackages(),
    logLevel: 'warning',
    chunkNames: 'chunks/[name]-[hash]',
  });
}

export async function buildAll() {
  await buildNode();
  const webBuild = join(root, 'scripts/build-web.mjs');
  if (existsSync(webBuild)) {
    const { buildWeb } = await import(webBuild);
    await buildWeb(root);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildAll();
  console.log(`sigmascope: built dist/ in ${Date.now() - started} ms`);
}
