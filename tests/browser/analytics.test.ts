/**
 * The analytics on the dashboard in Debian's chromium, against real processes: a collector, an
 * agent with two stand-in GPUs (the H100 capture pinned to its load readings) and a stand-in
 * vLLM it scrapes (1,500 output tokens/s). Once the agent's anomaly watch is warm the stand-in
 * injects +25 °C: the series page marks the anomaly and draws a forecast band past now; the host
 * page has its capacity row (GPU memory, the KV cache); the providers view shows energy per
 * token beside tokens/s, 2 × 631.95 / 1500 J. Screenshots at 1440 and 390 px wide; no console errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, ensureWebBuilt, launchBrowser, ARTIFACTS } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { getJson, killAll, runCli, stop, tempDir, waitFor } from '../support/processes.ts';
import { startVllmMetrics } from '../support/vllm-metrics-server.ts';
import type { VllmStandIn } from '../support/vllm-metrics-server.ts';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
let browser: TestBrowser;
let collector: CollectorHandle;
let agent: AgentHandle;
let vllm: VllmStandIn;
let hot = '';

beforeAll(async () => {
  await ensureWebBuilt();
  browser = await launchBrowser();
  vllm = await startVllmMetrics({ model: MODEL, tokensPerSecond: 1_500 });
  collector = await startCollector();
  const dir = tempDir('sigmascope-analytics-page-');
  const config = join(dir, 'agent.yaml');
  const trigger = join(dir, 'shift-now');
  writeFileSync(config, [
    'probes:',
    `  inference: [ { kind: vllm, url: "${vllm.url}" } ]`,
    'anomaly:',
    '  series:',
    '    - { metric: hw.gpu.temperature, every: 2, window: 20, quietPoints: 5 }',
    '',
  ].join('\n'));
  agent = await startAgent({
    collectorPort: collector.port, token: createAgentToken(collector, 'gpu-box'), name: 'gpu-box', gpus: 2, extraArgs: ['--config', config],
    env: { SIGMASCOPE_FAKE_NVIDIA_STATE: 'load', SIGMASCOPE_FAKE_NVIDIA_SHIFT: 'temperature.gpu:+25:0', SIGMASCOPE_FAKE_NVIDIA_SHIFT_WHEN: trigger },
  });
  const a = agent;
  await waitFor('the anomaly watch warm', async () => {
    const s = await getJson<{ anomaly: { series: { warm: boolean }[] } }>(`http://127.0.0.1:${a.statusPort}/api/status`);
    return s.anomaly.series.length === 2 && s.anomaly.series.every((x) => x.warm) ? true : undefined;
  }, 120_000, 500);
  writeFileSync(trigger, '');
  const c = collector;
  const found = await waitFor('the anomaly at the collector', async () => {
    const r = await getJson<{ anomalies: { labels: Record<string, string> }[] }>(c.url('/api/v1/anomalies'), c.viewerToken);
    return r.anomalies[0];
  }, 60_000, 500);
  hot = found.labels['hw.id'] as string;
  // Three whole batches of power and tokens (30 s each in a 15-minute range) behind the providers view.
  await waitFor('two minutes of tokens', async () => {
    const s = await getJson<{ series: { points: [number, number][] }[] }>(c.url('/api/v1/series?name=sigmascope.inference.output_tokens&agent=gpu-box'), c.viewerToken);
    const p = s.series[0]?.points ?? [];
    return p.length > 0 && (p[p.length - 1] as [number, number])[0] - (p[0] as [number, number])[0] > 120_000 ? true : undefined;
  }, 150_000, 1_000);
}, 360_000);

afterAll(async () => {
  await browser?.close();
  if (agent) await stop(agent.proc);
  if (collector) await stop(collector.proc);
  await vllm?.close();
  killAll();
});

/** Screenshots at the two widths the dashboard is checked at. */
async function shots(page: Page, name: string): Promise<void> {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width > 400 ? 900 : 844 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, `analytics-${name}-${width}.png`), fullPage: true });
    // The first screen as a phone shows it.
    if (width < 400) await page.screenshot({ path: join(ARTIFACTS, `analytics-${name}-${width}-first-screen.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Pixels of the series panel's canvas within 6 of an RGB colour. */
function panelPixels(page: Page, rgb: readonly [number, number, number]): Promise<number> {
  return page.evaluate(([r, g, b]) => {
    const canvas = document.querySelector('sigmascope-dashboard')?.shadowRoot?.querySelector('series-panel')?.shadowRoot?.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return -1;
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs((d[i] ?? 0) - r) <= 6 && Math.abs((d[i + 1] ?? 0) - g) <= 6 && Math.abs((d[i + 2] ?? 0) - b) <= 6 && (d[i + 3] ?? 0) > 200) n++;
    return n;
  }, rgb);
}

describe('analytics on the dashboard (real collector and agent)', () => {
  it('the series page marks the anomaly and draws the forecast; the host has its capacity row; providers show J/token', async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    const viewer = runCli(['token', 'create', 'looker', '--role', 'viewer', '--data', collector.dataDir]).stdout.trim();
    await page.goto(`${collector.url('/login')}?token=${viewer}`);

    // The series page: the anomaly as a vermilion diamond, the forecast as a band after now.
    const q = new URLSearchParams({ name: 'hw.gpu.temperature', 'hw.id': hot, 'hw.model': 'NVIDIA H100 80GB HBM3' });
    await page.goto(`${collector.url('/')}#/host/gpu-box/series?${q}`);
    const legend = page.locator('series-panel li');
    await legend.filter({ hasText: /^Anomalies \(1\)$/ }).waitFor({ timeout: 30_000 });
    await legend.filter({ hasText: /^Forecast, 80 % interval$/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => panelPixels(page, [213, 94, 0]), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(() => panelPixels(page, [204, 121, 167]), { timeout: 10_000 }).toBeGreaterThan(20);
    await shots(page, 'series');

    // The host page: the capacity row with both GPUs' memory and the served model's KV cache.
    await page.goto(`${collector.url('/')}#/host/gpu-box`);
    const chips = page.locator('capacity-row li');
    await chips.filter({ hasText: 'KV cache' }).waitFor({ timeout: 30_000 });
    const text = await chips.allTextContents();
    // The capture's 19,818 MiB of 81,559 MiB in use, steady: never full.
    expect(text.filter((t) => /^\s*GPU …000[01] memory\s+19\.4 GiB of 79\.6 GiB\s*not full within 1\.0 d/.test(t))).toHaveLength(2);
    expect(text.find((t) => t.includes('KV cache'))).toMatch(/KV cache meta-llama\/Llama-3\.1-8B-Instruct\s+35 %\s*not full within 1\.0 d/);
    await shots(page, 'host');

    // The providers view: the served model with its energy per token beside tokens/s.
    await page.goto(`${collector.url('/')}#/providers`);
    const row = page.locator('provider-table tbody tr', { hasText: MODEL });
    await row.waitFor({ timeout: 30_000 });
    const cells = await row.locator('td').allTextContents();
    const joules = cells.find((c) => / J$/.test(c.trim())) ?? '';
    const [value, half] = (/^([\d.]+)(?: ± ([\d.]+))? J$/.exec(joules.trim()) ?? []).slice(1).map(Number);
    expect(Math.abs((value as number) - (2 * 631.95) / 1500)).toBeLessThan(0.01);
    expect(half, joules).toBeGreaterThanOrEqual(0);
    expect(half).toBeLessThan(0.02);
    await shots(page, 'providers');

    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 180_000);
});
