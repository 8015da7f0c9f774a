/**
 * The agent's status page in Debian's chromium shows a violation acknowledged on the collector as
 * acknowledged (real collector and agent processes, the stand-in nvidia-smi with a +20 °C shift
 * injected): the open count drops, and the list of all violations shows its state. Screenshots
 * at 1440 and 390 px wide go to test-artifacts/status-sync-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { SHIFT_ENV, shiftConfigFile } from '../support/spc-shift.ts';
import { getJson, killAll, runCli, stop, waitFor } from '../support/processes.ts';

let browser: TestBrowser;
let collector: CollectorHandle;
let agent: AgentHandle;

beforeAll(async () => {
  await ensureWebBuilt();
  browser = await launchBrowser();
  collector = await startCollector();
  const config = shiftConfigFile();
  agent = await startAgent({ collectorPort: collector.port, token: createAgentToken(collector, 'ack-box'), name: 'ack-box', gpus: 1, extraArgs: ['--config', config], env: SHIFT_ENV });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  killAll();
});

describe('status page and the collector\'s acknowledgements', () => {
  it('shows a violation acknowledged on the collector as acknowledged', async () => {
    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
    const v = await waitFor('a violation from the shift', async () => (await getJson<{ violations: { id: number; ts: number }[] }>(collector.url('/api/v1/violations'), collector.viewerToken)).violations[0], 90_000, 500);
    const res = await fetch(collector.url(`/api/v1/violations/${v.id}`), { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'acknowledged' }) });
    expect(res.status).toBe(200);
    await waitFor('the agent to know', async () => ((await getJson<{ violations: { ts: number; state: string }[] }>(`http://127.0.0.1:${agent.statusPort}/api/status`)).violations.some((x) => x.ts === v.ts && x.state === 'acknowledged') ? true : undefined), 10_000, 200);

    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.goto(`http://127.0.0.1:${agent.statusPort}/`);
      const list = page.locator('violations-list');
      await list.getByRole('button', { name: 'All' }).click();
      const row = list.locator('tbody tr').filter({ hasText: 'acknowledged' });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await row.first().locator('td.state-acknowledged').textContent()).toBe('acknowledged');
      await list.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `status-sync-${width}.png`), fullPage: false });
    }
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    await stop(agent.proc);
    await stop(collector.proc);
  }, 150_000);
});
