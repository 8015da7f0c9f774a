/**
 * The collector's dashboard in a real browser (Debian's chromium), against the fake API until
 * the collector serves it: the fleet shows the host, the GPU panel one card per GPU, the SPC
 * chart zones and violation markers, acknowledging a violation POSTs, no console errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { FAKE_AGENT, startFakeApi } from '../support/fake-api.ts';
import type { FakeApi } from '../support/fake-api.ts';
import { checkDashboard, printLatency } from './page-checks.ts';

describe('dashboard in chromium (fake API)', () => {
  let api: FakeApi;
  let browser: TestBrowser;

  beforeAll(async () => {
    await ensureWebBuilt();
    api = await startFakeApi('collector');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows the fleet, the host, its GPUs, an SPC chart with violations, providers; no console errors', async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    const latency = await checkDashboard(page, api.url, { agentId: FAKE_AGENT.id, hostName: FAKE_AGENT.name, gpus: FAKE_AGENT.gpus }, {
      name: 'gen_ai.client.operation.time_to_first_chunk',
      labels: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' },
    });
    printLatency('dashboard (fake API)', latency);
    expect(api.posts).toEqual([{ id: 'v3', body: { state: 'acknowledged' } }]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
