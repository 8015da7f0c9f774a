// Prints the package.json of an agent-only install to stdout.
//
// The dependencies are exactly the packages the built CLI (dist/) can load for the commands an
// edge host runs (agent, keys, probe, spc): the import graph is walked from dist/cli.js through
// those commands' chunks, and each package gets the exact version its workspace pins. A package
// that only the collector declares (better-sqlite3, sqlite-vec, ...) is an error, never an
// install: the edge must not pull the collector's dependencies.
//
// Usage: node install/agent-package.mjs SOURCE_DIR     (SOURCE_DIR holds package.json and dist/)
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const EDGE_COMMANDS = ['agent', 'keys', 'probe', 'spc'];
const REQUIRED_COMMANDS = ['agent'];

function fail(message) {
  process.stderr.write(`agent-package: ${message}\n`);
  process.exit(1);
}

const source = process.argv[2];
if (source === undefined) fail('usage: node install/agent-package.mjs SOURCE_DIR');
const readJson = (rel) => JSON.parse(readFileSync(join(source, rel), 'utf8'));
const dist = join(source, 'dist');

// esbuild writes one statement per import at the start of a line; dynamic imports keep their literal.
const STATIC_IMPORT = /^(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?"([^"]+)";?\s*$/gm;
const BARE_IMPORT = /^import\s*"([^"]+)";?\s*$/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*"([^"]+)"\s*\)/g;
const BUNDLED_REQUIRE = /\b__require\(\s*"([^"]+)"\s*\)/g;
// A package a child process loads by URL (the inventories, the buffer check): a dependency too.
const META_RESOLVE = /\bimport\.meta\.resolve\(\s*"([^"]+)"\s*\)/g;

function readBuilt(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fail(`${file} is missing: build first (node scripts/build.mjs)`);
  }
}

/** Specifiers of one built file: static imports always, dynamic ones when asked. */
function specifiers(text, dynamic) {
  const out = [];
  for (const re of dynamic ? [STATIC_IMPORT, BARE_IMPORT, DYNAMIC_IMPORT, BUNDLED_REQUIRE, META_RESOLVE] : [STATIC_IMPORT, BARE_IMPORT, BUNDLED_REQUIRE, META_RESOLVE]) {
    for (const m of text.matchAll(re)) out.push(m[1]);
  }
  return out;
}

const builtins = new Set(builtinModules);
const packages = new Set();
const seen = new Set();

/** Walks the built file and everything it can load; bare specifiers become package names. */
function walk(file, dynamic) {
  if (seen.has(file)) return;
  seen.add(file);
  for (const spec of specifiers(readBuilt(file), dynamic)) {
    if (spec.startsWith('.')) walk(resolve(dirname(file), spec), true);
    else if (spec.startsWith('node:') || spec.startsWith('bun:') || builtins.has(spec.split('/')[0])) continue;
    else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
}

const cli = join(dist, 'cli.js');
const cliText = readBuilt(cli);
// The entry's static imports load for every command; of its dynamic ones, only the edge commands'.
walk(cli, false);
for (const name of EDGE_COMMANDS) {
  const m = new RegExp(`\\b${name}:\\s*\\{[^{}]*?\\bimport\\(\\s*"([^"]+)"\\s*\\)`).exec(cliText);
  if (m) walk(resolve(dist, m[1]), true);
  else if (REQUIRED_COMMANDS.includes(name)) fail(`dist/cli.js has no loader for the '${name}' command: is dist/ a build of this checkout?`);
}

const rootPkg = readJson('package.json');
const edgeVersions = {};
for (const ws of ['protocol', 'web', 'agent']) Object.assign(edgeVersions, readJson(`${ws}/package.json`).dependencies ?? {});
const collectorDeps = readJson('collector/package.json').dependencies ?? {};

const dependencies = {};
for (const name of [...packages].sort()) {
  if (name.startsWith('@sigmascope/')) continue; // bundled into dist/
  const version = edgeVersions[name];
  if (version === undefined) {
    fail(collectorDeps[name] !== undefined
      ? `the agent's code imports '${name}', which only the collector declares: the edge install must not pull it`
      : `the agent's code imports '${name}', which no agent-side workspace (protocol, web, agent) declares`);
  }
  dependencies[name] = version;
}

// Packages with install scripts that the edge tree can contain (lmdb, msgpackr-extract), not the
// collector's or the build's.
const excluded = new Set([...Object.keys(rootPkg.devDependencies ?? {}), ...Object.keys(collectorDeps).filter((n) => !(n in edgeVersions))]);
const allowScripts = Object.fromEntries(Object.entries(rootPkg.allowScripts ?? {}).filter(([n]) => !excluded.has(n)));

const pkg = {
  name: 'sigmascope-agent',
  version: rootPkg.version,
  description: 'The Sigmascope agent, installed by install/install.sh.',
  license: rootPkg.license,
  private: true,
  type: 'module',
  engines: rootPkg.engines,
  bin: { sigmascope: 'bin/sigmascope.js' },
  dependencies,
  overrides: rootPkg.overrides ?? {},
  allowScripts,
};
process.stdout.write(`${JSON.stringify(pkg, null, 2)}\n`);
