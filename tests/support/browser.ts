/**
 * A real browser for tests: Debian's chromium driven by playwright-core (never a downloaded
 * browser), in a fresh profile per launch, with the flags that work on these machines. Also
 * builds the web bundle when it is missing or older than web/src, and collects what a page
 * reports as errors so a test can assert there were none.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from './fixtures.ts';

/** Where Debian's chromium package installs the browser. */
export const CHROMIUM = process.env.SIGMASCOPE_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium in a fresh temporary profile; throws (the test fails) when it is not installed. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y --no-install-recommends chromium); browser tests never download a browser`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'sigmascope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds dist/web unless it exists and is newer than every file in web/src and the build script.
 * Test files run in parallel, so one builds under a lock file while the others wait for it.
 */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(REPO_ROOT, 'dist', 'web', 'index.html');
  const lock = join(REPO_ROOT, 'dist', '.web-build.lock');
  const fresh = (): boolean => existsSync(index) && statSync(index).mtimeMs >= Math.max(newest(join(REPO_ROOT, 'web', 'src')), statSync(join(REPO_ROOT, 'scripts', 'build-web.mjs')).mtimeMs);
  for (let waited = 0; !fresh(); waited += 100) {
    let fd: number | null = null;
    try {
      mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
      fd = openSync(lock, 'wx');
    } catch {
      // Another test file is building; a lock older than a minute is left from a crash.
      if (waited > 60_000) rmSync(lock, { force: true });
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      if (!fresh()) {
        const { buildWeb } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts', 'build-web.mjs')).href)) as { buildWeb: (root: string) => Promise<string[]> };
        await buildWeb(REPO_ROOT);
      }
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}

/** Collects console errors, uncaught exceptions and failed requests of a page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The browser aborts requests in flight when the page navigates or closes (the live stream,
    // a poll that was under way): the user sees nothing of that. Any other failure is an error.
    const text = r.failure()?.errorText ?? '';
    if (r.url().includes('/live') || text === 'net::ERR_ABORTED') return;
    errors.push(`request failed: ${r.url()} ${text}`);
  });
  return errors;
}

/** The text of the focused element, looking through shadow roots. */
export async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return (el?.textContent ?? '').trim();
  });
}
