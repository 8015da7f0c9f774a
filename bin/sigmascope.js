#!/usr/bin/env node
// Entry point of the `sigmascope` command. Runs the built CLI in dist/, rebuilding it first when
// a source file is newer than the build (a checkout after `git pull`, or a developer's edit).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli.js');
const sourceDirs = ['cli', 'protocol/src', 'agent/src', 'collector/src', 'web/src', 'scripts'];

function newestSource(dir, newest = 0) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = newestSource(p, newest);
    else if (/\.(ts|mjs|css|html)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const hasSources = existsSync(join(root, 'cli'));
if (hasSources && (!existsSync(built) || sourceDirs.some((d) => newestSource(join(root, d)) > statSync(built).mtimeMs))) {
  const { buildAll } = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
  await buildAll();
}
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
