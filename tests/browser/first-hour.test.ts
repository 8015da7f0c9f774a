/**
 * A new user's first hour, page by page, in chromium against the fake API (the collector's
 * answers, computed by protocol's SPC code): each point of issue 12 as the user sees it, with
 * screenshots at 1440 and 390 px wide in test-artifacts/ (first-hour-*.png):
 *
 *   - the landing page with one host shows that host live (GPUs and charts under the fleet);
 *   - the host view: "GPU 0 · H100 80GB" with the uuid under it, labelled big numbers, network
 *     and disks as bytes per second in their own panels, the inference server's queue and KV
 *     cache, the probe's phases in one panel;
 *   - TTFT's control chart in seconds (positive limits, σ as a factor) with its MR chart;
 *   - a violation opens its series' chart on the limits that raised it, the point ringed;
 *   - the range, its end and pause live in the URL; tables scroll sideways on a phone;
 *   - a PNG export carries a header (title, range, legend, limits) above the chart;
 *   - the providers page without probes shows the config to paste.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { FAKE_AGENT, FAKE_GPU_IDS, startFakeApi } from '../support/fake-api.ts';
import type { FakeApi } from '../support/fake-api.ts';

let api: FakeApi;
let empty: FakeApi;
let browser: TestBrowser;

beforeAll(async () => {
  await ensureWebBuilt();
  api = await startFakeApi('collector');
  empty = await startFakeApi('collector', { providers: false });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await empty?.close();
});

const WIDTHS = [1440, 390] as const;

async function shot(page: Page, name: string, width: number): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${ARTIFACTS}/first-hour-${name}-${width}.png`, fullPage: true });
}

/** Nothing on the page is wider than the screen (tables scroll inside their panels). */
async function fitsWidth(page: Page, width: number): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

/** Width and height of a PNG file, from its IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

const host = `#/host/${encodeURIComponent(FAKE_AGENT.id)}`;

describe('the first hour in chromium (fake API)', () => {
  it('lands on the single host live, and the host view shows the host', async () => {
    for (const width of WIDTHS) {
      const page = await browser.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width, height: 900 });
      // One host: the landing page carries its GPUs and charts under the fleet table.
      await page.goto(`${api.url}/`);
      await page.locator('fleet-table button.host', { hasText: FAKE_AGENT.name }).waitFor();
      await page.locator('gpu-panel article.gpu').first().waitFor({ timeout: 15_000 });
      await page.locator('series-panel li').first().waitFor({ timeout: 15_000 });
      await shot(page, 'landing', width);

      await page.goto(`${api.url}/${host}`);
      const cards = page.locator('gpu-panel article.gpu');
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(2);
      expect(await page.locator('gpu-panel article.gpu h3').allTextContents()).toEqual(['GPU 0 · H100 80GB', 'GPU 1 · H100 80GB']);
      expect(await page.locator('gpu-panel article.gpu .gpu-id').allTextContents()).toEqual([...FAKE_GPU_IDS]);
      expect(await page.locator('gpu-panel article.gpu .caption').first().textContent()).toBe('Utilization');
      const panel = (title: string) => page.locator('series-panel', { has: page.locator('h3', { hasText: title }) });
      // Counters as rates, network and disks apart, in binary units per second.
      await panel('Network').locator('li').first().waitFor({ timeout: 15_000 });
      expect(await panel('Network').locator('li').allTextContents()).toEqual([expect.stringMatching(/^Network eth0\/receive \/s [\d.]+ MiB\/s$/), expect.stringMatching(/^Network eth0\/transmit \/s [\d.]+ MiB\/s$/)]);
      expect(await panel('Disks').locator('li').count()).toBe(2);
      expect(await panel('Inference server').locator('li').allTextContents()).toEqual([expect.stringMatching(/^Queued /), expect.stringMatching(/^Running /), expect.stringMatching(/^KV cache /)]);
      const phases = (await panel('Probe phases').locator('li').allTextContents()).map((t) => t.split(' ')[0]);
      expect(phases).toEqual(['DNS', 'Connect', 'TLS', 'TTFB', 'TTFT', 'Latency']);
      expect(await panel('GPU utilization').locator('li').first().textContent()).toMatch(/^GPU util GPU 0 /);
      await fitsWidth(page, width);
      await shot(page, 'host', width);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    }
  });

  it('charts TTFT in seconds with its MR chart; a PNG export carries title, range, legend and limits', async () => {
    const q = new URLSearchParams({ name: 'gen_ai.client.operation.time_to_first_chunk', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' });
    for (const width of WIDTHS) {
      const page = await browser.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${api.url}/${host}/series?${q}`);
      const header = page.locator('spc-chart header .limits');
      await header.waitFor({ timeout: 15_000 });
      const text = (await header.textContent()) ?? '';
      expect(text).toMatch(/individuals of ln\(value\), drawn in its units/);
      expect(text).toMatch(/CL 3\d\d ms/);
      expect(text).toMatch(/LCL \d+ ms/); // positive: never "−624 ms"
      expect(text).not.toContain('−');
      expect(text).toMatch(/σ ×1\.\d+/);
      expect(await page.locator('spc-chart h4').textContent()).toMatch(/^Moving range \(MR\) of ln\(value\)/);
      await page.locator('spc-chart li.rule').first().waitFor();
      await fitsWidth(page, width);
      await shot(page, 'spc-ttft', width);
      if (width === 1440) {
        const [png] = await Promise.all([page.waitForEvent('download'), page.locator('spc-chart').getByRole('button', { name: 'PNG' }).click()]);
        const path = `${ARTIFACTS}/first-hour-spc-export.png`;
        await png.saveAs(path);
        const canvas = await page.evaluate(() => {
          const c = document.querySelector('sigmascope-dashboard')?.shadowRoot?.querySelector('spc-chart')?.shadowRoot?.querySelectorAll('canvas');
          return c ? [...c].reduce((h, x) => h + x.height, 0) : 0;
        });
        // Both charts and a header above them (title, range, the limits, the legend).
        expect(pngSize(path).height).toBeGreaterThan(canvas + 60);
        // An admin may re-baseline the series from now (a deploy changed it on purpose).
        await page.locator('spc-chart').getByRole('button', { name: 'Re-baseline from now' }).click();
        await expect.poll(() => api.posts.filter((p) => p.id === 'baseline').map((p) => p.body)).toEqual([{ agent: FAKE_AGENT.id, series: 'gen_ai.client.operation.time_to_first_chunk{gen_ai.provider.name="openai",gen_ai.request.model="gpt-4o-mini"}' }]);
      }
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    }
  });

  it('a violation opens the chart with the limits that raised it, the point ringed', async () => {
    for (const width of WIDTHS) {
      const page = await browser.context.newPage();
      const errors = collectErrors(page);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${api.url}/#/violations`);
      const row = page.locator('violations-list tbody tr[data-id="v3"]');
      await row.waitFor({ timeout: 15_000 });
      // The agent reports a probe's violation in ln seconds; the list reads it in seconds.
      expect(await row.locator('td.num').allTextContents()).toEqual(['470 ms', '310 ms ×1.05']);
      if (width === 390) {
        const wrap = page.locator('violations-list .table-wrap');
        expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
        await fitsWidth(page, width);
        await shot(page, 'violations', width);
      }
      await row.locator('button.series').click();
      await page.waitForFunction(() => /[?&]center=/.test(location.hash) && /[?&]sigma=/.test(location.hash) && /[?&]at=/.test(location.hash));
      await page.getByRole('note').filter({ hasText: 'the violation' }).waitFor();
      const header = page.locator('spc-chart header .limits');
      await header.waitFor({ timeout: 15_000 });
      expect(await header.textContent()).toMatch(/CL 310 ms/);
      expect(page.url()).toMatch(/range=1h/);
      await shot(page, 'violation-chart', width);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    }
  });

  it('a past range keeps every series: the cards and the metric list are complete without a live point', async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    const end = Date.now() - 10 * 60_000;
    await page.goto(`${api.url}/${host}?range=5m&end=${end}`);
    await page.locator('gpu-panel article.gpu').first().waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await page.locator('gpu-panel article.gpu dd').allTextContents()).filter((t) => t.includes('°C')).length, { timeout: 15_000 }).toBe(2);
    const list = page.locator('section.metrics');
    await expect.poll(async () => (await list.textContent()) ?? '', { timeout: 15_000 }).toContain('system.network.io');
    expect(await list.textContent()).toContain('sigmascope.inference.kv_cache.utilization');
    // Drawn in no panel, so without a live point only loadLatest brings it.
    await expect.poll(async () => (await list.textContent()) ?? '', { timeout: 15_000 }).toContain('sigmascope.agent.memory.rss');
    expect(await page.locator('.banner').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('keeps the range, its end and pause in the URL across a reload', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${api.url}/${host}`);
    // (5 min: the fake computes every point of a range it is asked for, and an hour of 2 Hz is slow to make.)
    await page.getByRole('combobox', { name: 'Span' }).selectOption({ label: 'Last 5 min' });
    await page.waitForFunction(() => location.hash.includes('range=5m'));
    await page.getByRole('button', { name: /Pause/ }).click();
    await page.waitForFunction(() => location.hash.includes('paused=1'));
    await page.reload();
    await page.getByRole('button', { name: /Resume/ }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Span' }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Last 5 min');
    await page.close();
  });

  it('the providers page: the table, and without probes the exact config to paste', async () => {
    for (const width of WIDTHS) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${api.url}/#/providers`);
      await page.locator('provider-table tbody tr').first().waitFor({ timeout: 15_000 });
      await fitsWidth(page, width);
      await shot(page, 'providers', width);
      await page.goto(`${empty.url}/#/providers`);
      const snippet = page.locator('provider-table pre.snippet').first();
      await snippet.waitFor({ timeout: 15_000 });
      expect(await snippet.textContent()).toContain('- { provider: openai-compatible, url: http://127.0.0.1:8000/v1');
      expect(await page.locator('provider-table pre.snippet').nth(1).textContent()).toContain('sigmascope start --config agent.yaml');
      await fitsWidth(page, width);
      await shot(page, 'providers-empty', width);
      await page.close();
    }
  });
});
