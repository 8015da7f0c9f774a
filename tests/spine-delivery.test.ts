/**
 * The spine under faults, with real processes on loopback: an agent (stand-in nvidia-smi with 8
 * GPUs) streaming to a collector. Every scenario ends with the conservation check:
 * produced = stored + counted drops, nothing buffered, zero duplicate rows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, kill9, killAll, sleep, stop, tempDir, waitFor } from './support/processes.ts';

afterAll(() => killAll());

interface SeriesJson {
  series: { agent: string; name: string; labels: Record<string, string>; points: [number, number][] }[];
}

describe('agent → collector, exactly once', () => {
  it('streams this host and every GPU, and stores each sample once', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'gpu-host');
    const started = Date.now();
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'gpu-host', gpus: 8 });
    const cpu = await waitFor('system.cpu.utilization at the collector', async () => {
      const r = await getJson<SeriesJson>(collector.url('/api/v1/series?name=system.cpu.utilization&agent=gpu-host'), collector.viewerToken);
      return r.series.some((s) => s.points.length > 0) ? r : undefined;
    }, 15_000, 100);
    expect(cpu.series.length).toBeGreaterThan(0);
    console.log(`first system.cpu.utilization sample queryable ${Date.now() - started} ms after the agent was started`);
    const gpus = await waitFor('hw.gpu.utilization for 8 GPUs', async () => {
      const r = await getJson<SeriesJson>(collector.url('/api/v1/series?name=hw.gpu.utilization&agent=gpu-host'), collector.viewerToken);
      return new Set(r.series.map((s) => s.labels['hw.id'])).size >= 8 ? r : undefined;
    });
    expect(new Set(gpus.series.map((s) => s.labels['hw.id'])).size).toBe(8);
    for (const metric of ['hw.gpu.memory.usage', 'hw.gpu.temperature', 'hw.gpu.power.draw']) {
      const r = await getJson<SeriesJson>(collector.url(`/api/v1/series?name=${metric}&agent=gpu-host`), collector.viewerToken);
      expect(new Set(r.series.map((s) => s.labels['hw.id'])).size, metric).toBe(8);
    }
    await sleep(2_000);
    await stop(agent.proc);
    await expectConservation(collector, 'gpu-host', token, agent.dataDir);
    await stop(collector.proc);
  });

  it('loses nothing when the collector is killed (-9) for 30 s mid-stream', async () => {
    let collector = await startCollector();
    const token = createAgentToken(collector, 'outage');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'outage', gpus: 2 });
    await waitFor('first samples stored', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));
    await kill9(collector.proc);
    await sleep(30_000);
    const during = await agent.status();
    expect(during.collector.state).not.toBe('connected');
    expect(during.samples.buffered).toBeGreaterThan(0);
    collector = await startCollector({ dataDir: collector.dataDir, port: collector.port, viewerToken: collector.viewerToken });
    await waitFor('the backlog to drain', async () => {
      const s = await agent.status();
      return s.collector.state === 'connected' && s.samples.buffered < 200 ? s : undefined;
    }, 60_000);
    await stop(agent.proc);
    const figures = await expectConservation(collector, 'outage', token, agent.dataDir);
    expect(figures.dropped).toBe(0);
    await stop(collector.proc);
  });

  it('keeps every committed sample when the agent is killed (-9) again and again', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'crashy');
    let agent = await startAgent({ collectorPort: collector.port, token, name: 'crashy' });
    const boots = new Set<string>();
    for (let i = 0; i < 5; i++) {
      boots.add((await agent.status()).bootId);
      await sleep(1_000 + 400 * i);
      await kill9(agent.proc);
      agent = await startAgent({ collectorPort: collector.port, token, name: 'crashy', dataDir: agent.dataDir });
    }
    boots.add((await agent.status()).bootId);
    expect(boots.size).toBe(6);
    await sleep(1_000);
    await stop(agent.proc);
    const figures = await expectConservation(collector, 'crashy', token, agent.dataDir);
    expect(figures.dropped, JSON.stringify(figures.droppedBy)).toBe(0);
    await stop(collector.proc);
  });

  it('stores once when 10 % of acks are lost and 10 % of batches arrive twice', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'lossy');
    const proxy = await startFaultProxy(`ws://127.0.0.1:${collector.port}/ingest`, { dropAckRatio: 0.1, duplicateBatchRatio: 0.1 });
    // 10 ticks a second, so that a few seconds hold enough acks and batches for the faults to hit.
    const config = join(tempDir('sigmascope-config-'), 'agent.yaml');
    writeFileSync(config, 'sampler:\n  intervalMs: 100\n');
    const agent = await startAgent({ collectorPort: proxy.port, token, name: 'lossy', gpus: 1, extraArgs: ['--config', config] });
    for (let i = 0; i < 4; i++) {
      await sleep(2_000);
      proxy.cutAll();
    }
    await sleep(2_000);
    await stop(agent.proc);
    await proxy.close();
    expect(proxy.counts.acksDropped).toBeGreaterThan(0);
    expect(proxy.counts.batchesDuplicated).toBeGreaterThan(0);
    await expectConservation(collector, 'lossy', token, agent.dataDir);
    const stats = await getJson<{ frames: { duplicates: number } }>(collector.url('/api/v1/stats'), collector.viewerToken);
    // Every batch the proxy sent twice was recognised and not stored again.
    expect(stats.frames.duplicates).toBe(proxy.counts.batchesDuplicated);
    await stop(collector.proc);
  });
});
