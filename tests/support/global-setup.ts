/**
 * Builds dist/ once before the test run: cross-process tests start the built CLI as a user would.
 * A failed build removes dist/cli.js, so those tests fail with the build error instead of
 * running a stale build, while unit tests still run.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.ts';

export default async function setup(): Promise<void> {
  const { buildAll } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'build.mjs')).href)) as { buildAll: () => Promise<void> };
  try {
    await buildAll();
  } catch (err) {
    rmSync(join(REPO_ROOT, 'dist', 'cli.js'), { force: true });
    console.error(`\nbuild failed; cross-process tests will fail:\n${err instanceof Error ? err.message : String(err)}\n`);
  }
}
