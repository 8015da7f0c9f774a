// Builds the agent's edge bundle: one tarball that installs on a GPU host with nothing but Node.js
// (no npm run, no network, no compiler): the built CLI, the agent's runtime dependencies already
// installed (agent-package.mjs's list: never the collector's SQLite build, dev tools or bun), the
// unit and install.sh. Unpack it on the host and run its install.sh. Prints what lands there.
//
// Usage: node install/agent-bundle.mjs [--out DIR]   (default DIR: dist-agent; builds dist/ first when missing)
//
// The native parts (lmdb, msgpackr-extract) are those of the platform it is built on: the file
// name says which (linux-x64); build on the platform the hosts run.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = resolve(outFlag > 0 ? process.argv[outFlag + 1] : join(root, 'dist-agent'));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const name = `sigmascope-agent-${version}-${process.platform}-${process.arch}`;

if (!existsSync(join(root, 'dist', 'cli.js'))) {
  const { buildAll } = await import(join(root, 'scripts', 'build.mjs'));
  await buildAll();
}
const staging = mkdtempSync(join(tmpdir(), 'sigmascope-bundle-'));
const dir = join(staging, name);
mkdirSync(join(dir, 'install'), { recursive: true });
cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
for (const f of ['install.sh', 'install-steps.sh', 'idempotent-files.sh', 'sigmascope-agent.service', 'README.md', 'agent.env.example', 'agent-package.mjs']) cpSync(join(root, 'install', f), join(dir, 'install', f));
const pkg = execFileSync(process.execPath, [join(root, 'install', 'agent-package.mjs'), root], { encoding: 'utf8' });
writeFileSync(join(dir, 'install', 'agent-package.json'), pkg);
writeFileSync(join(dir, 'package.json'), pkg);
// The dependencies, installed here once (from the local cache when it has them), with the
// stamp install.sh compares: on the host they are copied, not installed.
execFileSync('npm', ['install', '--omit=dev', '--prefer-offline', '--no-workspaces', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
for (const forbidden of ['better-sqlite3', 'sqlite-vec', 'bun', 'esbuild', 'typescript', 'vitest', 'playwright-core']) {
  if (existsSync(join(dir, 'node_modules', forbidden))) throw new Error(`${forbidden} ended up in the agent bundle`);
}
writeFileSync(join(dir, 'node_modules', '.sigmascope-package.json'), pkg);

function tally(p, acc = { files: 0, bytes: 0 }) {
  for (const e of readdirSync(p, { withFileTypes: true })) {
    const q = join(p, e.name);
    if (e.isDirectory()) tally(q, acc);
    else if (e.isFile()) { acc.files++; acc.bytes += statSync(q).size; }
  }
  return acc;
}
const all = tally(dir);
const deps = tally(join(dir, 'node_modules'));
mkdirSync(out, { recursive: true });
const tarball = join(out, `${name}.tar.gz`);
execFileSync('tar', ['-czf', tarball, '-C', staging, name]);
rmSync(staging, { recursive: true, force: true });
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
console.log(JSON.stringify({ tarball, tarballBytes: statSync(tarball).size, files: all.files, bytes: all.bytes, dependencies: Object.keys(JSON.parse(pkg).dependencies), nodeModules: deps }));
process.stderr.write(`agent bundle: ${tarball} (${mib(statSync(tarball).size)}), unpacked ${all.files} files, ${mib(all.bytes)} (node_modules ${deps.files} files, ${mib(deps.bytes)})\n`);
