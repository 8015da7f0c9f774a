/**
 * What a user must see on the two pages, independent of the server behind them: each check
 * takes a page and the base URL, so the same assertions run against the fake API now and
 * against a real collector and agent (`sigmascope start`) later. Screenshots go to
 * test-artifacts/ and are meant to be looked at.
 */
import { expect } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, focusedText } from '../support/browser.ts';
import type { LatencyReport } from '../../web/src/live/latency-recorder.ts';

/** The host the pages should show. */
export interface HostExpectation {
  readonly agentId: string;
  readonly hostName: string;
  readonly gpus: number;
}

/** A series whose control chart should show zones and at least one violation. */
export interface SpcExpectation {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

let shotPrefix = '';

/** Prefixes the screenshot names of the checks that follow (e.g. `real-`), so runs do not overwrite each other. */
export function setShotPrefix(prefix: string): void {
  shotPrefix = prefix;
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${shotPrefix}${name}.png`), fullPage });
}

/** Waits until the page has rendered at least `n` live points and returns the latency report. */
export async function latencyAfter(page: Page, n: number, timeoutMs = 20_000): Promise<LatencyReport> {
  await page.waitForFunction((min) => (window.__sigmascopeLatency?.values.length ?? 0) >= min, n, { timeout: timeoutMs });
  return (await page.evaluate(() => window.__sigmascopeLatency)) as LatencyReport;
}

/** Prints p50/p99 of a latency report under a label. */
export function printLatency(label: string, r: LatencyReport): void {
  console.log(`${label}: sample → screen latency p50 ${r.p50} ms, p99 ${r.p99} ms over ${r.values.length} points in ${r.frames} frames`);
}

/** Counts pixels of a component's canvas matching an RGB colour, split by opaque and translucent. */
async function canvasColour(page: Page, selector: string, rgb: readonly [number, number, number]): Promise<{ opaque: number; translucent: number }> {
  return page.evaluate(([sel, [r, g, b]]) => {
    const canvas = document.querySelector('sigmascope-dashboard')?.shadowRoot?.querySelector(sel)?.shadowRoot?.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return { opaque: -1, translucent: -1 };
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let opaque = 0;
    let translucent = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs((d[i] ?? 0) - r) > 6 || Math.abs((d[i + 1] ?? 0) - g) > 6 || Math.abs((d[i + 2] ?? 0) - b) > 6) continue;
      if ((d[i + 3] ?? 0) > 240) opaque++;
      else if ((d[i + 3] ?? 0) > 10) translucent++;
    }
    return { opaque, translucent };
  }, [selector, rgb] as const);
}

/**
 * The collector's dashboard: fleet → host (keyboard) → series with its SPC chart, violations,
 * providers, phone width, dark theme. `login` (the link `sigmascope start` prints) is opened
 * first when the server wants a session cookie.
 */
export async function checkDashboard(page: Page, base: string, host: HostExpectation, spc: SpcExpectation, login?: string): Promise<LatencyReport> {
  if (login) await page.goto(login);
  await page.goto(`${base}/`);
  // The fleet shows the host.
  const hostButton = page.locator('fleet-table button.host', { hasText: host.hostName });
  await hostButton.waitFor({ timeout: 15_000 });
  await page.locator('fleet-table td', { hasText: /\d+(\.\d)? %/ }).first().waitFor({ timeout: 10_000 });
  await shot(page, 'dashboard-fleet');

  // Keyboard: Tab to the host and open it with Enter.
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    found = (await focusedText(page)) === host.hostName;
  }
  expect(found, 'the host in the fleet table is reachable with Tab').toBe(true);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => location.hash === `#/host/${encodeURIComponent(id)}`, host.agentId);

  // The GPU panel shows one card per GPU, each with its utilization.
  await page.waitForFunction((n) => document.querySelector('sigmascope-dashboard')?.shadowRoot?.querySelector('gpu-panel')?.shadowRoot?.querySelectorAll('article.gpu').length === n, host.gpus, { timeout: 15_000 });
  const utils = await page.locator('gpu-panel article.gpu .util').allTextContents();
  expect(utils).toHaveLength(host.gpus);
  for (const u of utils) expect(u).toMatch(/^\d+ %$/);
  await page.locator('series-panel li').first().waitFor({ timeout: 15_000 });
  const report = await latencyAfter(page, 200);

  // Hover values, then zoom by dragging a range.
  const plot = page.locator('series-panel .plot').first();
  const box = await plot.boundingBox();
  if (!box) throw new Error('series panel has no box');
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
  await page.waitForTimeout(300);
  await shot(page, 'dashboard-host');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const panel = page.locator('series-panel').first();
  await expect.poll(() => panel.getByRole('button', { name: 'Reset' }).isEnabled()).toBe(true);

  // Export: the data as CSV, the chart as PNG.
  const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'CSV' }).click()]);
  const csvLines = readFileSync(await csv.path(), 'utf8').split('\r\n');
  expect(csvLines[0]).toBe('time,ts_ms,host,series,unit,value');
  expect(csvLines.length).toBeGreaterThan(100);
  // Each row names the host, the full series (name and labels) and its unit.
  expect(csvLines[1]).toMatch(new RegExp(`^[^,]+,\\d+,${host.hostName},"?hw\\.gpu\\.utilization\\{`));
  const [png] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'PNG' }).click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  expect(readFileSync(await png.path()).subarray(1, 4).toString()).toBe('PNG');

  // The series view: an SPC chart with zones, markers and a legend naming the rule.
  const q = new URLSearchParams({ name: spc.name, ...spc.labels });
  await page.goto(`${base}/#/host/${encodeURIComponent(host.agentId)}/series?${q}`);
  await page.locator('spc-chart li.rule').first().waitFor({ timeout: 15_000 });
  expect(await page.locator('spc-chart li.rule').first().textContent()).toMatch(/(Nelson|WE|Rule) \d: /);
  expect(await page.locator('spc-chart header .limits').textContent()).toMatch(/UCL .*LCL .*σ/);
  await page.waitForTimeout(200);
  await shot(page, 'dashboard-series-spc');
  const zoneC = await canvasColour(page, 'spc-chart', [0, 158, 115]);
  const zoneA = await canvasColour(page, 'spc-chart', [213, 94, 0]);
  console.log('spc canvas pixels', { zoneC, zoneA });
  expect(zoneC.translucent, 'zone C is shaded').toBeGreaterThan(1000);
  expect(zoneA.translucent, 'zone A is shaded').toBeGreaterThan(1000);
  expect(zoneA.opaque, 'rule 1 markers are drawn').toBeGreaterThan(20);

  // Violations: acknowledge the newest open one.
  await page.goto(`${base}/#/violations`);
  const list = page.locator('violations-list');
  await list.locator('tbody tr').first().waitFor({ timeout: 10_000 });
  // New violations may arrive while we look (a live agent): follow one row by its id.
  const first = list.locator('tbody tr').first();
  const id = await first.getAttribute('data-id');
  expect(id).toBeTruthy();
  await list.locator(`tbody tr[data-id="${id}"]`).getByRole('button', { name: 'Acknowledge' }).click();
  await expect.poll(() => list.locator(`tbody tr[data-id="${id}"]`).count(), { timeout: 15_000 }).toBe(0);
  await list.getByRole('button', { name: 'All' }).click();
  await list.locator(`tbody tr[data-id="${id}"] td.state-acknowledged`).waitFor();
  await shot(page, 'dashboard-violations');

  // Providers side by side.
  await page.goto(`${base}/#/providers`);
  await page.locator('provider-table tbody tr').first().waitFor({ timeout: 10_000 });
  await shot(page, 'dashboard-providers');

  // A phone: nothing wider than the screen, the host view still complete.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`${base}/#/host/${encodeURIComponent(host.agentId)}`);
  await page.locator('gpu-panel article.gpu').first().waitFor({ timeout: 15_000 });
  await page.locator('series-panel li').first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await shot(page, 'dashboard-host-375px');

  // Dark theme.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('theme-toggle button').click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await page.waitForTimeout(700);
  await shot(page, 'dashboard-host-dark');
  return report;
}

/** The agent's status page: connection and buffer state first, GPUs, live charts, phone width. */
export async function checkStatusPage(page: Page, base: string, host: HostExpectation, collectorState: RegExp): Promise<LatencyReport> {
  await page.goto(`${base}/`);
  const card = page.locator('connection-card');
  await card.locator('.state', { hasText: collectorState }).waitFor({ timeout: 15_000 });
  expect(await card.locator('#buffer-frames').textContent()).toMatch(/^(1 frame|(0|[2-9]|[1-9][\d,]+) frames)$/);
  expect(await page.locator('.crumbs h1').textContent()).toBe(host.hostName);
  await page.waitForFunction((n) => document.querySelector('sigmascope-status')?.shadowRoot?.querySelector('gpu-panel')?.shadowRoot?.querySelectorAll('article.gpu').length === n, host.gpus, { timeout: 15_000 });
  for (const u of await page.locator('gpu-panel article.gpu .util').allTextContents()) expect(u).toMatch(/^\d+ %$/);
  const report = await latencyAfter(page, 200);

  // The probes and the SPC watch, as the docs promise them.
  await page.locator('probe-status tbody tr').first().waitFor({ timeout: 15_000 });
  expect(await page.locator('probe-status thead').textContent()).toMatch(/Last run[\s\S]*Failures[\s\S]*Tokens today \/ budget/);
  await page.locator('spc-watch-status tbody tr').first().waitFor({ timeout: 15_000 });
  expect(await page.locator('spc-watch-status thead').textContent()).toMatch(/Baseline[\s\S]*Centre ± σ[\s\S]*Hits by rule/);

  // Pause holds frames (nothing new is drawn); resume draws them.
  await page.getByRole('button', { name: /Pause/ }).click();
  await page.waitForTimeout(300);
  const framesAt = async (): Promise<number> => page.evaluate(() => window.__sigmascopeLatency?.frames ?? 0);
  const paused = await framesAt();
  await page.waitForTimeout(1200);
  expect(await framesAt(), 'no frame is drawn while paused').toBe(paused);
  await page.getByRole('button', { name: /Resume/ }).click();
  await expect.poll(framesAt).toBeGreaterThan(paused);
  await page.waitForTimeout(1500);
  await shot(page, 'status-page');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await shot(page, 'status-page-375px');
  await page.setViewportSize({ width: 1280, height: 900 });
  return report;
}
