/**
 * Series caps (issue 11, defect 5): one agent token flooding new series cannot grow the
 * collector without bound. A real collector process with small caps (2,000 per agent, 3,000 in
 * all) takes frames of 1,000 new series each from two hand-driven connections while a real
 * agent (8 stand-in GPUs) streams: the flood stops at the caps, every sample beyond them is
 * acknowledged, refused and counted (per agent in /api/v1/agents, in /api/v1/stats and
 * /metrics), known series keep storing at the cap, the real agent loses nothing (the oracle
 * holds exactly), and the counts survive a restart.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { getJson, killAll, stop, waitFor } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';
import type { WsAgent } from './support/ws-agent.ts';

afterAll(() => killAll());

const PER_AGENT = 2_000;
const TOTAL = 3_000;

/** A frame of `count` series `flood.metric{i=from…}`, one sample each. */
function flood(seq: number, from: number, count: number): Uint8Array {
  const b = new BatchBuilder();
  const now = Date.now();
  for (let i = from; i < from + count; i++) b.add(series('flood.metric', { i: String(i) }), now, i);
  return encodeFrame(b.seal(seq, now));
}

interface AgentsJson {
  agents: { id: string; samples: number; series: number; refusedSamples: number }[];
}
interface StatsJson {
  samples: { refusedSinceStart: number };
  series: { stored: number; maxPerAgent: number; maxTotal: number; refusedSinceStart: number };
}

async function hello(url: string, token: string, stream: string): Promise<WsAgent> {
  const c = await connectAgent(url, token);
  c.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream, hostname: stream, clock: Date.now() });
  await c.waitFor(1);
  return c;
}

describe('series caps', () => {
  it('refuse and count new series beyond the per-agent and total caps; known series and other agents go on', async () => {
    let collector = await startCollector({ config: { ingest: { maxSeriesPerAgent: PER_AGENT, maxSeries: TOTAL } } });
    const url = `ws://127.0.0.1:${collector.port}/ingest`;
    const gpuToken = createAgentToken(collector, 'gpu-host');
    const agent = await startAgent({ collectorPort: collector.port, token: gpuToken, name: 'gpu-host', gpus: 8 });
    // Every series of a live host exists after a few ticks (rates need two readings): then the flood starts.
    await waitFor('the real agent storing for ten ticks', async () => {
      const st = await agent.status();
      return st.sampler.ticks >= 10 && st.samples.acked > 0 && st.samples.buffered === 0 ? true : undefined;
    });

    const a = await hello(url, createAgentToken(collector, 'flood-a'), 'a');
    // 5 frames × 1,000 new series: the first two fit the per-agent cap, the rest are refused.
    for (let f = 0; f < 5; f++) a.send(flood(f + 1, f * 1_000, 1_000));
    await a.waitFor(6);
    expect(a.received.slice(1).map((f) => f.t === 'ack' && !f.dup)).toEqual([true, true, true, true, true]);
    // At the cap, series it already has keep storing.
    a.send(flood(6, 0, 1_000));
    await a.waitFor(7);

    const b = await hello(url, createAgentToken(collector, 'flood-b'), 'b');
    for (let f = 0; f < 3; f++) b.send(flood(f + 1, f * 1_000, 1_000));
    await b.waitFor(4);

    const { agents } = await getJson<AgentsJson>(collector.url('/api/v1/agents'), collector.viewerToken);
    const byId = new Map(agents.map((x) => [x.id, x]));
    const gpuSeries = (byId.get('gpu-host')?.series ?? 0);
    expect(gpuSeries).toBeGreaterThan(90);
    expect(byId.get('flood-a')).toMatchObject({ series: PER_AGENT, samples: PER_AGENT + 1_000, refusedSamples: 3_000 });
    // flood-b gets what the total cap leaves: TOTAL − flood-a − the real agent (plus what it adds meanwhile).
    const bSeries = byId.get('flood-b')?.series ?? 0;
    expect(bSeries).toBeGreaterThan(0);
    expect(PER_AGENT + gpuSeries + bSeries).toBeLessThanOrEqual(TOTAL);
    expect(byId.get('flood-b')).toMatchObject({ samples: bSeries, refusedSamples: 3_000 - bSeries });

    const stats = await getJson<StatsJson>(collector.url('/api/v1/stats'), collector.viewerToken);
    expect(stats.series).toMatchObject({ maxPerAgent: PER_AGENT, maxTotal: TOTAL });
    expect(stats.series.stored, 'flood-b filled what the total cap left').toBe(TOTAL);
    expect(stats.samples.refusedSinceStart).toBe(3_000 + 3_000 - bSeries);
    expect(stats.series.refusedSinceStart).toBe(3_000 + 3_000 - bSeries);
    const metrics = await (await fetch(collector.url('/metrics'))).text();
    expect(metrics).toContain(`sigmascope_collector_samples_refused_total ${6_000 - bSeries}`);
    expect(metrics).toContain(`sigmascope_collector_series_limit{scope="agent"} ${PER_AGENT}`);
    expect(metrics).toMatch(new RegExp(`sigmascope_collector_series ${stats.series.stored}\\b`));
    await Promise.all([a.close(), b.close()]);

    // The real agent under the caps lost nothing: produced = stored (+ drops), nothing refused.
    await stop(agent.proc);
    await expectConservation(collector, 'gpu-host', gpuToken, agent.dataDir);

    // After a restart the caps hold against what is already stored, and the counts are kept.
    await stop(collector.proc);
    collector = await startCollector({ dataDir: collector.dataDir, viewerToken: collector.viewerToken, config: { ingest: { maxSeriesPerAgent: PER_AGENT, maxSeries: TOTAL } } });
    const again = await getJson<AgentsJson>(collector.url('/api/v1/agents'), collector.viewerToken);
    expect(again.agents.find((x) => x.id === 'flood-a')).toMatchObject({ series: PER_AGENT, refusedSamples: 3_000 });
    await stop(collector.proc);
  });

  it('refuses a collector config whose per-agent cap is above the total', async () => {
    const { runCli, tempDir } = await import('./support/processes.ts');
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/c.json`, JSON.stringify({ ingest: { maxSeriesPerAgent: 5_000, maxSeries: 1_000 } }));
    const r = runCli(['collector', '--data', dir, '--port', '0', '--listen', '127.0.0.1', '--config', `${dir}/c.json`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ingest.maxSeriesPerAgent: 5000 is above ingest.maxSeries (1000)');
  });
});
