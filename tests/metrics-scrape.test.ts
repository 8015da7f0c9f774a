/**
 * Both /metrics endpoints as Prometheus sees them: `promtool check metrics` (Debian's prometheus
 * package) finds no problem in the collector's (with an export stream configured) or the
 * agent's, and a real Prometheus scrapes both with every target up and no scrape error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { killAll, stop, tempDir, waitFor } from './support/processes.ts';
import { hasBinary, killEngines, promQuery, startPrometheus } from './support/tsdb.ts';

afterAll(() => {
  killAll();
  killEngines();
});

const missing = ['prometheus', 'promtool'].filter((b) => !hasBinary(b));

function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(missing.length > 0)(`/metrics as Prometheus reads it${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed; .ci/run installs prometheus)` : ''}`, () => {
  it('passes promtool and is scraped, every target up, by a real Prometheus', async () => {
    const config = join(tempDir('sigmascope-config-'), 'collector.yaml');
    // An endpoint nobody listens on: the export metrics are there, with retries and a lag.
    writeFileSync(config, 'remoteWrite:\n  - url: http://127.0.0.1:9/api/v1/write\n');
    const collector = await startCollector({ configFile: config });
    const agent = await startAgent({ collectorPort: collector.port, token: createAgentToken(collector, 'gpu-01'), name: 'gpu-01', gpus: 2 });
    const collectorText = await waitFor('export metrics with a retry', async () => {
      const t = await (await fetch(collector.url('/metrics'))).text();
      return /sigmascope_collector_export_retries_total\{[^}]*\} [1-9]/.test(t) ? t : undefined;
    });
    const agentText = await (await fetch(`http://127.0.0.1:${agent.statusPort}/metrics`)).text();
    for (const [who, text] of [['collector', collectorText], ['agent', agentText]] as const) {
      const r = promtool(text);
      expect(r.output, `promtool on the ${who}'s /metrics`).toBe('');
      expect(r.status).toBe(0);
    }

    const prom = await startPrometheus([`127.0.0.1:${collector.port}`, `127.0.0.1:${agent.statusPort}`]);
    const targets = await waitFor('both targets scraped', async () => {
      const r = (await (await fetch(`${prom.url}/api/v1/targets`)).json()) as { data: { activeTargets: { scrapeUrl: string; health: string; lastError: string }[] } };
      const t = r.data.activeTargets;
      return t.length === 2 && t.every((x) => x.health === 'up') ? t : undefined;
    }, 60_000, 500);
    expect(targets.map((t) => t.lastError)).toEqual(['', '']);
    const up = await promQuery(prom, 'up{job="sigmascope"}');
    expect(up.map((r) => r.value?.[1])).toEqual(['1', '1']);
    const stored = await promQuery(prom, 'sigmascope_collector_samples_stored_total');
    expect(Number(stored[0]?.value?.[1])).toBeGreaterThan(0);
    const produced = await promQuery(prom, 'sigmascope_agent_samples_produced_total');
    expect(Number(produced[0]?.value?.[1])).toBeGreaterThan(0);
    await prom.stop();
    await stop(agent.proc);
    await stop(collector.proc);
  }, 120_000);
});
