/**
 * The dashboard's benchmark pages in Debian's chromium against a real collector: two sweep runs
 * made against the known-latency server (TTFT 0.7–1.4 s; B served 25 % slower) and uploaded by `bench run
 * --collector` with an admin token; the runs list shows both, the run page its provenance,
 * summary and three charts, the comparison page the regression. Screenshots at 1440 and 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { cli, readRunUnder, writeDataset, writeSuite } from '../support/bench-cli.ts';
import type { BenchResult } from '../support/bench-cli.ts';
import { startCollector } from '../support/fleet.ts';
import type { CollectorHandle } from '../support/fleet.ts';
import { startLatencyServer } from '../support/latency-server.ts';
import type { LatencyServer } from '../support/latency-server.ts';
import { killAll, runCli, tempDir } from '../support/processes.ts';

let browser: TestBrowser;
let collector: CollectorHandle;
let server: LatencyServer;
let login = '';
const runs: BenchResult[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  collector = await startCollector();
  const admin = runCli(['token', 'create', 'ci-bench', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
  login = `${collector.url('/login')}?token=${collector.viewerToken}`;
  server = await startLatencyServer();
  const dir = tempDir('sigmascope-bench-web-');
  writeDataset(dir);
  for (const factor of [1, 1.25]) {
    const out = tempDir('sigmascope-bench-web-runs-');
    const suite = writeSuite(dir, server.add(factor, { scale: 4 }), '{type: sweep, rates: [5, 20], requests: 20, warmup: 2}', { name: 'sweep-demo', slo: '{ttft_ms: 1200, e2e_ms: 1400}' });
    const r = await cli(['bench', 'run', suite, '--out', out, '--collector', collector.url('')], { SIGMASCOPE_TOKEN: admin });
    expect(r.code, r.output).toBe(0);
    runs.push(readRunUnder(out, r.code, r.output));
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  killAll();
  await server?.close();
});

/** The text a page element shows, through its shadow roots (the summary's tables are in nested ones). */
async function shown(page: import('playwright-core').Page, host: string): Promise<string> {
  return (await page.locator(`${host} section`).allInnerTexts()).join('\n');
}

async function shots(page: import('playwright-core').Page, name: string): Promise<void> {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, `bench-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

describe('benchmark runs in the dashboard', () => {
  it('lists the runs, shows a run with its charts, and the comparison with its regression; no console errors', async () => {
    const [a, b] = runs as [BenchResult, BenchResult];
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(login);
    await page.getByRole('link', { name: 'Runs' }).click();
    await expect.poll(() => page.locator('runs-list tbody tr').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('runs-list tbody th').allTextContents()).toEqual([b.run.id, a.run.id]);
    await shots(page, 'runs-list');

    await page.getByRole('link', { name: a.run.id }).click();
    await expect.poll(() => shown(page, 'run-view'), { timeout: 15_000 }).toContain(a.run.dataset.sha256);
    const text = await shown(page, 'run-view');
    expect(text).toContain(a.run.config_sha256);
    expect(text).toContain('@ 5/s');
    expect(text).toContain('@ 20/s');
    expect(await page.locator('run-view run-chart canvas').count()).toBe(3);
    expect(await page.locator('run-view run-chart h2').allTextContents()).toEqual(['End-to-end latency: cumulative distribution', 'Time to first token: histogram', 'Throughput against offered rate (sweep)']);
    // The summary shows the run's own numbers: TTFT p50 of the first target, as run.json has it.
    expect(text).toContain(a.run.summary['local-vllm']!.ttft_ms.p50.toFixed(1));
    await shots(page, 'run');

    await page.goto(`${collector.url('/')}#/runs/compare?a=${a.run.id}&b=${b.run.id}`);
    await expect.poll(() => shown(page, 'run-compare-view'), { timeout: 15_000 }).toMatch(/\d regressions?/);
    const cmp = await shown(page, 'run-compare-view');
    expect(cmp).toMatch(/ttft_ms.*regression/s);
    expect(await page.locator('run-compare-view run-chart canvas').count()).toBe(3);
    await shots(page, 'compare');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);
});
