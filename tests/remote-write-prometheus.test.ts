/**
 * Remote-write to a real Prometheus (Debian's, receiver on): every sample the collector stored
 * for an agent over the window reaches the TSDB once, with the same timestamps and values, across
 * a Prometheus outage (stopped, then restarted on its data dir) and a collector kill -9.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorSamples, engineSamplesSettled, exportCaughtUp, expectSameSamples } from './support/export-check.ts';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { getJson, kill9, killAll, sleep, stop, tempDir, waitFor } from './support/processes.ts';
import { hasBinary, killEngines, promQuery, startPrometheus } from './support/tsdb.ts';

afterAll(() => {
  killAll();
  killEngines();
});

const missing = ['prometheus'].filter((b) => !hasBinary(b));

interface StatsJson {
  export: { protocol: string; pendingRecords: number; retries: number; lagSeconds: number; samplesSent: number; samplesDropped: number; lastError: string | null }[];
}

describe.skipIf(missing.length > 0)(`remote-write to Prometheus${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed; .ci/run installs it)` : ''}`, () => {
  it('stores exactly the collector\'s samples across a TSDB outage and a collector kill -9', async () => {
    const prom = await startPrometheus();
    const config = join(tempDir('sigmascope-config-'), 'collector.yaml');
    writeFileSync(config, `remoteWrite:\n  - url: ${prom.writeUrl}\n    maxSamplesPerSend: 500\n`);
    const collector = await startCollector({ configFile: config });
    const token = createAgentToken(collector, 'gpu-01');
    const from = Date.now() - 1_000;
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'gpu-01', gpus: 2 });
    await waitFor('samples in Prometheus', async () => ((await promQuery(prom, 'count({agent="gpu-01"})')).length > 0 ? true : undefined));

    // Outage: the TSDB stops; the collector keeps storing and its backlog and lag show.
    await prom.stop();
    const down = await waitFor('the backlog to show', async () => {
      const s = await getJson<StatsJson>(collector.url('/api/v1/stats'), collector.viewerToken);
      const e = s.export[0];
      return e !== undefined && e.pendingRecords > 0 && e.retries > 0 && e.lagSeconds > 1 ? e : undefined;
    });
    expect(down.lastError).not.toBeNull();
    const metrics = await (await fetch(collector.url('/metrics'))).text();
    expect(metrics).toMatch(/sigmascope_collector_export_lag_seconds\{protocol="remote_write",target="http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write"\} [1-9]/);
    await prom.restart();

    // A crash of the collector while the backlog drains, then a restart on the same data dir and port.
    await sleep(300);
    await kill9(collector.proc);
    await sleep(1_500);
    const again = await startCollector({ dataDir: collector.dataDir, port: collector.port, viewerToken: collector.viewerToken, configFile: config });
    await sleep(3_000);
    await stop(agent.proc);
    await exportCaughtUp(again);
    const to = Date.now();

    const stored = await collectorSamples(again, 'gpu-01', from, to);
    const inTsdb = await engineSamplesSettled(prom, 'gpu-01', from, to, stored);
    const n = expectSameSamples(stored, inTsdb);
    const { agents } = await getJson<{ agents: { id: string; samples: number }[] }>(again.url('/api/v1/agents'), again.viewerToken);
    expect(n, 'every stored sample of the agent was compared').toBe(agents.find((a) => a.id === 'gpu-01')?.samples);
    expect(n).toBeGreaterThan(500);
    const s = await getJson<StatsJson>(again.url('/api/v1/stats'), again.viewerToken);
    expect(s.export[0]?.samplesDropped).toBe(0);
    // Every series carries agent and host.
    const hosts = await promQuery(prom, 'count by (host) ({agent="gpu-01"})');
    expect(hosts.length).toBe(1);
    expect(hosts[0]?.metric.host).toBeTruthy();
    await stop(again.proc);
    await prom.stop();
  }, 180_000);
});
