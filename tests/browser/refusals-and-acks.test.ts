/**
 * What issue 11's fixes show a user, in chromium against real processes: the fleet view's Series
 * column with the samples a flooding agent had refused at the series cap, and the agent status
 * page of an agent whose collector acknowledges nothing (frames in flight, the ack timeouts).
 * Screenshots at 1440 and 390 px wide go to test-artifacts/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../../protocol/src/batch.ts';
import { encodeFrame } from '../../protocol/src/codec.ts';
import { series } from '../../protocol/src/series.ts';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { killAll, runCli, stop, tempDir, waitFor } from '../support/processes.ts';
import { connectAgent } from '../support/ws-agent.ts';

let browser: TestBrowser;
let collector: CollectorHandle;
let proxy: FaultProxy;
const agents: AgentHandle[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  browser = await launchBrowser();
  collector = await startCollector({ config: { ingest: { maxSeriesPerAgent: 200 } } });
});
afterAll(async () => {
  for (const a of agents) await stop(a.proc);
  await proxy?.close();
  await stop(collector.proc);
  await browser?.close();
  killAll();
});

const WIDTHS = [1440, 390] as const;

describe('the fixes as a user sees them', () => {
  it('fleet view: the series an agent has and the samples refused beyond the cap', async () => {
    agents.push(await startAgent({ collectorPort: collector.port, token: createAgentToken(collector, 'gpu-01'), name: 'gpu-01', gpus: 8 }));
    const flood = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, createAgentToken(collector, 'noisy'));
    flood.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'n', hostname: 'noisy', clock: Date.now() });
    await flood.waitFor(1);
    const b = new BatchBuilder();
    for (let i = 0; i < 500; i++) b.add(series('flood.metric', { i: String(i) }), Date.now(), i);
    flood.send(encodeFrame(b.seal(1, Date.now())));
    await flood.waitFor(2);
    await flood.close();

    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${collector.url('/login')}?token=${admin}`);
    const table = page.locator('fleet-table table');
    await expect.poll(async () => (await table.textContent()) ?? '', { timeout: 20_000 }).toContain('300 refused');
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('Series');
    expect(text).toMatch(/noisy[\s\S]*200[\s\S]*300 refused/);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, `fleet-series-cap-${width}.png`), fullPage: true });
    }
    // On a phone the refused count is seen without scrolling sideways: under the host, inside the viewport.
    const note = page.locator('fleet-table th[scope="row"] .host-note');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toBe('300 refused');
    const box = await note.boundingBox();
    expect(box !== null && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await note.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('status page: frames waiting for an ack and the ack timeouts of a collector that acknowledges nothing', async () => {
    proxy = await startFaultProxy(`ws://127.0.0.1:${collector.port}/ingest`, { dropAckRatio: 1, duplicateBatchRatio: 0 });
    const config = join(tempDir(), 'agent.json');
    writeFileSync(config, JSON.stringify({ uplink: { ackTimeoutMs: 3_000 } }));
    const agent = await startAgent({ collectorPort: proxy.port, token: createAgentToken(collector, 'stuck'), name: 'stuck', gpus: 2, extraArgs: ['--config', config] });
    agents.push(agent);
    await waitFor('an ack timeout', async () => ((await agent.status()) as unknown as { collector: { ackTimeouts: number } }).collector.ackTimeouts >= 1 ? true : undefined, 30_000, 200);
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`http://127.0.0.1:${agent.statusPort}/`);
    const card = page.locator('connection-card section[aria-label="Collector connection"]');
    await expect.poll(async () => (await card.textContent()) ?? '', { timeout: 20_000 }).toMatch(/Ack timeouts\s*[1-9]\d* \(after 3(\.0)? ?s without an ack\)/);
    await expect.poll(async () => (await card.textContent()) ?? '', { timeout: 20_000 }).toMatch(/In flight\s*(1 frame|([2-9]|[1-9]\d+) frames), waiting/);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, `status-ack-timeout-${width}.png`), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
