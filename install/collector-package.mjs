// Prints the package.json of a collector install to stdout: every runtime dependency of the
// workspaces the built CLI loads on the central box (protocol, web, agent for `sigmascope start`,
// collector), each at the exact version its workspace pins; the build's dev tools are left out.
//
// Usage: node install/collector-package.mjs SOURCE_DIR     (SOURCE_DIR holds package.json)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2];
if (source === undefined) {
  process.stderr.write('collector-package: usage: node install/collector-package.mjs SOURCE_DIR\n');
  process.exit(1);
}
const readJson = (rel) => JSON.parse(readFileSync(join(source, rel), 'utf8'));
const rootPkg = readJson('package.json');
const dependencies = {};
for (const ws of ['protocol', 'web', 'agent', 'collector']) {
  for (const [name, version] of Object.entries(readJson(`${ws}/package.json`).dependencies ?? {})) {
    if (name.startsWith('@sigmascope/')) continue; // bundled into dist/
    if (dependencies[name] !== undefined && dependencies[name] !== version) {
      process.stderr.write(`collector-package: ${name} is pinned to ${dependencies[name]} and ${version} in two workspaces\n`);
      process.exit(1);
    }
    dependencies[name] = version;
  }
}
const dev = new Set(Object.keys(rootPkg.devDependencies ?? {}));
const pkg = {
  name: 'sigmascope-collector',
  version: rootPkg.version,
  description: 'The Sigmascope collector, installed by install/install-collector.sh.',
  license: rootPkg.license,
  private: true,
  type: 'module',
  engines: rootPkg.engines,
  bin: { sigmascope: 'bin/sigmascope.js' },
  dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1))),
  overrides: rootPkg.overrides ?? {},
  allowScripts: Object.fromEntries(Object.entries(rootPkg.allowScripts ?? {}).filter(([n]) => !dev.has(n))),
};
process.stdout.write(`${JSON.stringify(pkg, null, 2)}\n`);
