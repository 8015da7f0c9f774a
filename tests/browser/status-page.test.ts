/**
 * The agent's status page in a real browser, against the fake agent API with the collector
 * unreachable: connection and buffer state shown first, GPUs, live charts, no console errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { FAKE_AGENT, startFakeApi } from '../support/fake-api.ts';
import type { FakeApi } from '../support/fake-api.ts';
import { checkStatusPage, printLatency } from './page-checks.ts';

describe('agent status page in chromium (fake API, collector down)', () => {
  let api: FakeApi;
  let browser: TestBrowser;

  beforeAll(async () => {
    await ensureWebBuilt();
    api = await startFakeApi('agent');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows the collector unreachable, the buffer, this host GPUs and live data; no console errors', async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    const latency = await checkStatusPage(page, api.url, { agentId: FAKE_AGENT.id, hostName: FAKE_AGENT.name, gpus: FAKE_AGENT.gpus }, /unreachable/i);
    printLatency('status page (fake API)', latency);
    // Re-baselining a series posts its key to the agent.
    const row = page.locator('spc-watch-status tbody tr').first();
    const key = await row.getAttribute('data-key');
    await row.getByRole('button', { name: 'Re-baseline' }).click();
    await expect.poll(() => api.posts.filter((p) => p.id === 'rebaseline')).toEqual([{ id: 'rebaseline', body: { key } }]);
    expect(await page.locator('probe-status tbody tr').nth(1).textContent()).toMatch(/backoff.*http_5xx \(HTTP 503\).*41 \(2 in a row\)/s);
    expect(errors).toEqual([]);
    await page.close();
  });
});
