/**
 * Energy per token end to end, from a replayed capture with a known answer: a real agent samples
 * two stand-in GPUs replaying the H100 capture pinned to its load readings (631.95 W each) and
 * scrapes a stand-in vLLM whose output-token counter grows at 1,500 tokens/s; a real collector
 * stores both; `GET /api/v1/energy` must give 2 × 631.95 / 1500 J per token, inside its interval.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { FAKE_BIN, getJson, killAll, stop, tempDir, waitFor } from '../support/processes.ts';
import { startVllmMetrics } from '../support/vllm-metrics-server.ts';
import type { VllmStandIn } from '../support/vllm-metrics-server.ts';

const GPUS = 2;
const RATE = 1_500;
let collector: CollectorHandle | undefined;
let agent: AgentHandle | undefined;
let vllm: VllmStandIn | undefined;

afterAll(async () => {
  if (agent) await stop(agent.proc);
  if (collector) await stop(collector.proc);
  await vllm?.close();
  killAll();
});

/** The capture's load power, read through the stand-in as the agent reads it. */
function loadWatts(): number {
  const r = spawnSync(process.execPath, [join(FAKE_BIN, 'nvidia-smi'), '--query-gpu=power.draw', '--format=csv,noheader,nounits'], { env: { ...process.env, SIGMASCOPE_FAKE_NVIDIA_STATE: 'load', SIGMASCOPE_FAKE_GPUS: '1' }, encoding: 'utf8' });
  return Number(r.stdout.trim());
}

interface EnergyJson { rows: { agent: string; provider: string; model: string; joulesPerToken: number | null; interval: [number, number] | null; tokensPerSecond: number; watts: number; gpus: number; coveredMs: number }[] }
interface SeriesJson { series: { points: [number, number][] }[] }

describe('energy per token from a replayed capture', () => {
  it('2 GPUs at the H100 capture\'s load power and 1,500 tokens/s: 2 × 631.95 / 1500 J per token', async () => {
    const watts = loadWatts();
    expect(watts).toBe(631.95);
    vllm = await startVllmMetrics({ model: 'meta-llama/Llama-3.1-8B-Instruct', tokensPerSecond: RATE });
    collector = await startCollector();
    const dir = tempDir('sigmascope-energy-');
    const config = join(dir, 'agent.yaml');
    writeFileSync(config, `probes:\n  inference:\n    - { kind: vllm, url: "${vllm.url}" }\n`);
    agent = await startAgent({ collectorPort: collector.port, token: createAgentToken(collector, 'gpu-energy'), name: 'gpu-energy', gpus: GPUS, env: { SIGMASCOPE_FAKE_NVIDIA_STATE: 'load' }, extraArgs: ['--config', config] });
    const c = collector;
    // 70 s of both series stored: six whole 10 s batches inside.
    const start = await waitFor('the first token counter sample', async () => {
      const s = await getJson<SeriesJson>(c.url(`/api/v1/series?name=sigmascope.inference.output_tokens&agent=gpu-energy&from=${Date.now() - 600_000}`), c.viewerToken);
      return s.series[0]?.points[0]?.[0];
    }, 60_000, 500);
    const from = Math.ceil((start + 2_000) / 10_000) * 10_000;
    const to = from + 60_000;
    await waitFor('a minute of power and tokens', async () => {
      const s = await getJson<SeriesJson>(c.url(`/api/v1/series?name=hw.gpu.power.draw&agent=gpu-energy&from=${to}&to=${to + 600_000}`), c.viewerToken);
      return (s.series.length === GPUS && s.series.every((x) => x.points.length > 4)) || undefined;
    }, 150_000, 1_000);
    const e = await getJson<EnergyJson>(c.url(`/api/v1/energy?agent=gpu-energy&from=${from}&to=${to}&batch=10000`), c.viewerToken);
    expect(e.rows).toHaveLength(1);
    const r = e.rows[0] as EnergyJson['rows'][number];
    expect(r).toMatchObject({ agent: 'gpu-energy', provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', gpus: GPUS, coveredMs: 60_000 });
    const truth = (GPUS * watts) / RATE;
    console.log(`energy per token: ${r.joulesPerToken} J against ${truth} J, 95 % interval [${r.interval?.join(', ')}], ${r.tokensPerSecond} tokens/s, ${r.watts} W`);
    expect(r.watts).toBeCloseTo(GPUS * watts, 6);
    // The counter is read on the server's clock and stamped with the agent's tick: scrape jitter
    // moves a 10 s batch's tokens by a few per mille.
    expect(Math.abs((r.joulesPerToken as number) - truth) / truth).toBeLessThan(0.01);
    expect(Math.abs(r.tokensPerSecond - RATE) / RATE).toBeLessThan(0.01);
    const [lo, hi] = r.interval as [number, number];
    expect(lo).toBeLessThanOrEqual(truth);
    expect(hi).toBeGreaterThanOrEqual(truth);
  }, 240_000);
});
