/**
 * The dashboard of a collector that reads the fleet from VictoriaMetrics (`query.backend:
 * prometheus`), in a real browser: its fleet table lists the agent connected to another
 * collector beside its own, the host view charts that agent's GPUs, and the export line says the
 * remote-write endpoint is caught up. Screenshots at 1440 and 390 px go to test-artifacts/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import { killAll, stop } from '../support/processes.ts';
import { collectorConfig, hasBinary, killEngines, startVictoriaMetrics } from '../support/tsdb.ts';

afterAll(() => {
  killAll();
  killEngines();
});

const missing = ['victoria-metrics'].filter((b) => !hasBinary(b));

describe.skipIf(missing.length > 0)(`dashboard on the prometheus query backend${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed)` : ''}`, () => {
  it('lists and charts the agent of another collector, and shows the export caught up', async () => {
    await ensureWebBuilt();
    const vm = await startVictoriaMetrics();
    const write = `remoteWrite:\n  - url: ${vm.writeUrl}\n`;
    const a = await startCollector({ configFile: collectorConfig(write) });
    const b = await startCollector({ configFile: collectorConfig(`${write}query:\n  backend: prometheus\n  url: ${vm.url}\n`) });
    const agentA = await startAgent({ collectorPort: a.port, token: createAgentToken(a, 'gpu-a'), name: 'gpu-a', gpus: 2 });
    const agentB = await startAgent({ collectorPort: b.port, token: createAgentToken(b, 'gpu-b'), name: 'gpu-b', gpus: 1 });
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors = collectErrors(page);
      await page.goto(b.url(`/login?token=${b.viewerToken}`));
      await page.goto(b.url('/'));
      await page.locator('fleet-table button.host', { hasText: 'gpu-a' }).waitFor({ timeout: 60_000 });
      await page.locator('fleet-table button.host', { hasText: 'gpu-b' }).waitFor({ timeout: 30_000 });
      await page.locator('export-status li', { hasText: 'caught up' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('export-status li').first().textContent()).toContain(vm.writeUrl);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, 'scale-out-fleet-1440.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(ARTIFACTS, 'scale-out-fleet-390.png'), fullPage: true });
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.locator('fleet-table button.host', { hasText: 'gpu-a' }).click();
      await page.waitForFunction(() => document.querySelector('sigmascope-dashboard')?.shadowRoot?.querySelector('gpu-panel')?.shadowRoot?.querySelectorAll('article.gpu').length === 2, undefined, { timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'scale-out-host-a-1440.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await stop(agentA.proc);
      await stop(agentB.proc);
      await stop(a.proc);
      await stop(b.proc);
      await vm.stop();
    }
  }, 180_000);
});
