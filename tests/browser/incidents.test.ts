/**
 * The incidents views in Debian's chromium against a real collector fed by twelve virtual agents
 * (tests/support/fleet-sim) in which two faults start: anthropic answers 2.2× slower everywhere,
 * and gpu-04 (which does not probe anthropic) saturates its GPUs. The list shows both with their
 * causes; an incident shows anthropic's TTFT at every host that probes it on one chart, connect,
 * TLS and first byte beside TTFT, the host's GPU, CPU and queue, all on one time axis, and its
 * evidence; an admin acknowledges it with a note, a viewer is not offered to. Screenshots at
 * 1440 and 390 px go to test-artifacts/incident-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Incident } from '../../protocol/src/incident.ts';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { createAgentToken, startCollector } from '../support/fleet.ts';
import type { CollectorHandle } from '../support/fleet.ts';
import { FleetSim } from '../support/fleet-sim/fleet-sim.ts';
import { simFleet } from '../support/fleet-sim/fleet-model.ts';
import type { Fault } from '../support/fleet-sim/faults.ts';
import { getJson, killAll, runCli, waitFor } from '../support/processes.ts';

let browser: TestBrowser;
let collector: CollectorHandle;
let sim: FleetSim;
let admin = '';
let incidents: Incident[] = [];
const hosts = simFleet(21);
const probingAnthropic = hosts.filter((h) => h.targets.some((t) => t.provider === 'anthropic')).map((h) => h.id);

beforeAll(async () => {
  await ensureWebBuilt();
  browser = await launchBrowser();
  collector = await startCollector();
  admin = runCli(['token', 'create', 'oncall', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
  const tokens = new Map(hosts.map((h) => [h.id, createAgentToken(collector, h.id)]));
  const faults: Fault[] = [];
  sim = await FleetSim.start({ url: `ws://127.0.0.1:${collector.port}/ingest`, tokens, hosts, faults: () => faults, historyMs: 10 * 60_000 });
  const t0 = Date.now() + 5_000;
  faults.push(
    { kind: 'provider', provider: 'anthropic', model: null, factor: 2.2, onset: t0, end: t0 + 600_000 },
    { kind: 'host', agent: 'gpu-04', saturate: 'gpu', factor: 2.5, onset: t0 + 3_000, end: t0 + 600_000 },
  );
  let seen: Incident[] = [];
  incidents = await waitFor('the provider and the host incident', async () => {
    seen = (await getJson<{ incidents: Incident[] }>(collector.url('/api/v1/incidents'), collector.viewerToken)).incidents;
    return seen.some((i) => i.cause === 'provider') && seen.some((i) => i.cause === 'host') ? seen : undefined;
  }, 150_000, 1_000).catch((err: unknown) => {
    throw new Error(`${String(err)}; open now: ${seen.map((i) => `${i.cause}: ${i.summary}`).join(' | ') || 'none'}`);
  });
  // Some more of the slow period on the charts.
  await new Promise((r) => setTimeout(r, 15_000));
}, 240_000);

afterAll(async () => {
  await sim?.stop();
  await browser?.close();
  killAll();
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The legend entries of one panel of the incident. */
const legend = (page: Page, panel: string): Promise<string[]> => page.locator(`series-panel[data-panel="${panel}"] li`).allTextContents();

describe('incidents views', () => {
  it('lists the incidents and shows one with its evidence on one time axis; an admin acknowledges it', async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${collector.url('/login')}?token=${admin}`);
    await page.goto(`${collector.url('/')}#/incidents`);
    const rows = page.locator('incidents-list tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('incidents-list tbody tr .cause').allTextContents()).toEqual(expect.arrayContaining(['provider', 'host']));
    await shot(page, 'incident-list-1440');

    const provider = incidents.find((i) => i.cause === 'provider') as Incident;
    await page.locator(`incidents-list tr[data-id="${provider.id}"] a`).click();
    await page.waitForFunction((id) => location.hash === `#/incidents/${id}`, provider.id);
    await expect.poll(() => page.locator('incident-detail .summary').textContent(), { timeout: 15_000 }).toContain('anthropic');

    // Anthropic's TTFT at every host that probes it, one line each, on the fleet chart.
    await expect.poll(async () => (await legend(page, 'fleet-ttft')).length, { timeout: 20_000 }).toBe(probingAnthropic.length);
    const fleet = await legend(page, 'fleet-ttft');
    for (const h of probingAnthropic) expect(fleet.some((l) => l.includes(`${h}.sim`) || l.includes(h))).toBe(true);
    // Beside it, at the first affected host: connect, TLS, first byte and TTFT; and its GPUs, CPU and queue.
    const first = provider.scope.agents[0] as string;
    await expect.poll(async () => (await legend(page, `network-${first}`)).map((l) => l.split(' ')[0]), { timeout: 15_000 }).toEqual(['Connect', 'TLS', 'TTFB', 'TTFT']);
    await expect.poll(async () => (await legend(page, `host-${first}`)).join(' | '), { timeout: 15_000 }).toMatch(/GPU util.*GPU util.*CPU busy.*Queued/);
    // Every panel on the same time axis: the incident's, from before the onset.
    const axes = await page.locator('incident-detail series-panel').evaluateAll((els) => els.map((e) => JSON.stringify((e as unknown as { bounds: unknown }).bounds)));
    expect(new Set(axes).size).toBe(1);
    const bounds = JSON.parse(axes[0] as string) as { min: number; max: number };
    expect(bounds.min).toBeLessThan(provider.startedAt - 5 * 60_000);
    // The evidence table: TTFT at the vantage points, more than 1.3× their baselines.
    const shifts = await page.locator('incident-detail section[aria-label="Evidence"] tbody tr', { hasText: 'TTFT' }).allTextContents();
    expect(shifts.length).toBeGreaterThanOrEqual(3);
    for (const r of shifts) expect(Number(/(\d+\.\d+)×/.exec(r)?.[1])).toBeGreaterThan(1.3);
    await page.waitForTimeout(500);
    await shot(page, 'incident-provider-1440');

    await page.locator('incident-detail textarea').fill('anthropic status page: degraded performance');
    await page.locator('incident-detail').getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator('incident-detail .state').textContent(), { timeout: 10_000 }).toBe('acknowledged');
    const stored = await getJson<Incident>(collector.url(`/api/v1/incidents/${provider.id}`), collector.viewerToken);
    expect(stored).toMatchObject({ state: 'acknowledged', note: 'anthropic status page: degraded performance' });

    const host = incidents.find((i) => i.cause === 'host') as Incident;
    await page.goto(`${collector.url('/')}#/incidents/${host.id}`);
    await expect.poll(async () => (await legend(page, 'host-gpu-04')).join(' | '), { timeout: 20_000 }).toMatch(/GPU util.*CPU busy.*Queued/);
    await page.waitForTimeout(500);
    await shot(page, 'incident-host-1440');

    // A phone: the same views in one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'incident-host-390');
    await page.goto(`${collector.url('/')}#/incidents/${provider.id}`);
    await expect.poll(async () => (await legend(page, 'fleet-ttft')).length, { timeout: 20_000 }).toBe(probingAnthropic.length);
    await page.waitForTimeout(500);
    await shot(page, 'incident-provider-390');
    // What a phone shows first, and its first chart.
    await page.screenshot({ path: join(ARTIFACTS, 'incident-provider-390-top.png') });
    await page.locator('series-panel[data-panel="fleet-ttft"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'incident-provider-390-chart.png') });
    await page.goto(`${collector.url('/')}#/incidents`);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await shot(page, 'incident-list-390');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 180_000);

  it('a viewer sees the incident but is not offered to acknowledge or resolve it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${collector.url('/login')}?token=${collector.viewerToken}`);
    const host = incidents.find((i) => i.cause === 'host') as Incident;
    await page.goto(`${collector.url('/')}#/incidents/${host.id}`);
    await expect.poll(() => page.locator('incident-detail .summary').textContent(), { timeout: 15_000 }).toContain('gpu-04');
    await page.waitForTimeout(1_000);
    expect(await page.locator('incident-detail').getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await page.close();
  }, 60_000);
});
