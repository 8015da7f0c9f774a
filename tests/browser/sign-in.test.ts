/**
 * Signing in on a real collector: a browser without a session sees a sign-in form (not banners
 * over an empty fleet); a wrong token is refused with a message saying how to get one; the
 * viewer token signs in (POST /login sets the session cookie) and the fleet appears. Screenshots
 * at 1440 and 390 px: test-artifacts/sign-in-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { startCollector } from '../support/fleet.ts';
import type { CollectorHandle } from '../support/fleet.ts';
import { killAll, stop } from '../support/processes.ts';

let browser: TestBrowser;
let collector: CollectorHandle;

beforeAll(async () => {
  await ensureWebBuilt();
  browser = await launchBrowser();
  collector = await startCollector();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (collector) await stop(collector.proc);
  killAll();
});

describe('sign-in page (real collector)', () => {
  it('takes a token instead of showing "not signed in" banners', async () => {
    for (const width of [1440, 390]) {
      const page = await browser.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width, height: 800 });
      await page.goto(collector.url('/'));
      const form = page.locator('sign-in-form');
      await form.locator('input#token').waitFor({ timeout: 15_000 });
      expect(await page.locator('sigmascope-dashboard .banner').count()).toBe(0);
      expect(await page.locator('fleet-table').count()).toBe(0);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${ARTIFACTS}/sign-in-${width}.png`, fullPage: true });

      await form.locator('input#token').fill('sgs_v_not-a-real-token-at-all');
      await form.getByRole('button', { name: 'Sign in' }).click();
      await form.getByRole('alert').waitFor();
      expect(await form.getByRole('alert').textContent()).toContain('sigmascope token create NAME --role viewer');

      await form.locator('input#token').fill(collector.viewerToken);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('fleet-table').waitFor({ timeout: 15_000 });
      expect(await page.locator('sign-in-form').count()).toBe(0);
      const cookies = await browser.context.cookies(collector.url('/'));
      expect(cookies.find((c) => c.name === 'sigmascope_session')?.httpOnly).toBe(true);
      // The failed attempt answered 401 on purpose; nothing else may fail.
      expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
      await browser.context.clearCookies();
      await page.close();
    }
  }, 60_000);
});
