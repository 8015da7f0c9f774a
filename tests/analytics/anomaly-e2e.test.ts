/**
 * Anomalies end to end: a real agent watches its stand-in GPUs (the H100 capture pinned to its
 * load readings, 59 °C) and, once the watch is warm, the stand-in injects +25 °C; the agent's watch sends one
 * anomaly event per GPU at the shift and a score series, a real collector stores them, and
 * `GET /api/v1/anomalies` lists the events as the agent's, with the capture's value as baseline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { getJson, killAll, stop, tempDir, waitFor } from '../support/processes.ts';

let collector: CollectorHandle | undefined;
let agent: AgentHandle | undefined;
afterAll(async () => {
  if (agent) await stop(agent.proc);
  if (collector) await stop(collector.proc);
  killAll();
});

interface AnomaliesJson { anomalies: { source: string; agent: string; name: string; labels: Record<string, string>; ts: number; value: number; baseline: number; score: number }[] }

describe('anomalies from agent to dashboard API', () => {
  it('a 25 °C jump on every GPU is one anomaly event each, stored and listed, with its score series', async () => {
    collector = await startCollector();
    const dir = tempDir('sigmascope-anomaly-');
    const config = join(dir, 'agent.yaml');
    const trigger = join(dir, 'shift-now');
    // Points of 2 samples (1 s), a 20-point baseline: the watch is warm 20 s after start.
    writeFileSync(config, 'anomaly:\n  series:\n    - { metric: hw.gpu.temperature, every: 2, window: 20, quietPoints: 5 }\n');
    agent = await startAgent({
      collectorPort: collector.port, token: createAgentToken(collector, 'gpu-hot'), name: 'gpu-hot', gpus: 2, extraArgs: ['--config', config],
      env: { SIGMASCOPE_FAKE_NVIDIA_STATE: 'load', SIGMASCOPE_FAKE_NVIDIA_SHIFT: 'temperature.gpu:+25:0', SIGMASCOPE_FAKE_NVIDIA_SHIFT_WHEN: trigger },
    });
    const a = agent;
    const c = collector;
    interface Watch { anomaly: { events: number; series: { warm: boolean; episodes: number }[] } }
    await waitFor('the watch warm on both GPUs', async () => {
      const s = await getJson<Watch>(`http://127.0.0.1:${a.statusPort}/api/status`);
      return s.anomaly.series.length === 2 && s.anomaly.series.every((x) => x.warm) ? true : undefined;
    }, 120_000, 500);
    writeFileSync(trigger, '');
    const found = await waitFor('two anomaly events at the collector', async () => {
      const r = await getJson<AnomaliesJson>(c.url('/api/v1/anomalies?source=agent'), c.viewerToken);
      return r.anomalies.length >= 2 ? r.anomalies : undefined;
    }, 150_000, 1_000);
    expect(found).toHaveLength(2);
    expect(new Set(found.map((a) => a.labels['hw.id'])).size).toBe(2); // one per GPU (hw.id is its uuid)
    // A point is the mean of 2 samples: 84, or 71.5 when the shift fell between a pair's samples.
    for (const a of found) {
      expect(a).toMatchObject({ source: 'agent', agent: 'gpu-hot', name: 'hw.gpu.temperature', baseline: 59 });
      expect([71.5, 84]).toContain(a.value);
    }
    const status = await getJson<Watch>(`http://127.0.0.1:${a.statusPort}/api/status`);
    expect(status.anomaly.events).toBe(2);
    expect(status.anomaly.series.map((s) => s.episodes)).toEqual([1, 1]);
    const scores = await getJson<{ series: { labels: Record<string, string>; points: [number, number][] }[] }>(c.url('/api/v1/series?name=sigmascope.anomaly.score&sigmascope.anomaly.metric=hw.gpu.temperature'), c.viewerToken);
    expect(scores.series).toHaveLength(2);
    expect(Math.max(...(scores.series[0]?.points ?? []).map((p) => p[1]))).toBeGreaterThan(100);
  }, 240_000);
});
