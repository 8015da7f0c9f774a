// Builds the web bundle into dist/web/: index.html (the collector's dashboard), status.html (the
// agent's status page) and assets/ (ES modules with a shared chunk, the theme CSS, source maps).
// No external network at run time: everything the pages load is under /assets/, fonts are the
// system's. Called by scripts/build.mjs (npm ci → prepare, npm test's global setup).
import { build } from 'esbuild';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGES = [
  { file: 'index.html', entry: 'dashboard', title: 'Sigmascope', element: 'sigmascope-dashboard' },
  { file: 'status.html', entry: 'status', title: 'Sigmascope agent', element: 'sigmascope-status' },
];

function page({ title, element }, script, style) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${style}">
<script type="module" src="/assets/${script}"></script>
</head>
<body>
<${element}></${element}>
<noscript>Sigmascope needs JavaScript to show live data. The JSON API works without it.</noscript>
</body>
</html>
`;
}

/**
 * Bundles web/src into `root`/dist/web; resolves with the list of files written. Builds into a
 * staging folder and swaps it in, so a server reading dist/web never sees a half-written bundle.
 */
export async function buildWeb(root) {
  const final = join(root, 'dist', 'web');
  const out = `${final}.staging-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'assets'), { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      dashboard: 'web/src/dashboard.ts',
      status: 'web/src/status.ts',
      theme: 'web/src/theme/theme.css',
    },
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const named = (entry, ext) => {
    const hit = outputs.find(([, o]) => o.entryPoint && basename(o.entryPoint).startsWith(entry) && o.entryPoint.endsWith(ext === 'js' ? '.ts' : '.css'));
    if (!hit) throw new Error(`web build: no output for ${entry}`);
    return hit[0].slice(hit[0].lastIndexOf('/assets/') + '/assets/'.length);
  };
  const style = named('theme', 'css');
  for (const p of PAGES) writeFileSync(join(out, p.file), page(p, named(p.entry, 'js'), style));
  const old = `${final}.old-${process.pid}`;
  try { renameSync(final, old); } catch { /* first build */ }
  renameSync(out, final);
  rmSync(old, { recursive: true, force: true });
  return [...PAGES.map((p) => p.file), ...outputs.map(([f]) => f.slice(f.indexOf('assets/')))];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const files = await buildWeb(join(fileURLToPath(new URL('.', import.meta.url)), '..'));
  console.log(`sigmascope: built dist/web (${files.length} files) in ${Date.now() - started} ms`);
}
