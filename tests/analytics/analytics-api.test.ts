/**
 * The analytics routes from a real store (SQLite in a temporary directory) through the real API
 * app, with answers known in closed form: a GPU whose memory grows 2 GiB an hour is full when the
 * line says, a flat KV cache never is; constant probe costs give today's spend and midnight's
 * exactly; two GPUs at 300 W serving 600 tokens/s are 1 J per token; a TTFT jump and a 15 °C
 * step are anomalies on their series, in the collector's own scan and in the list, beside an
 * agent's anomaly event; a forecast of the leak continues the line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { anomalyEvent } from '@sigmascope/protocol/anomaly/anomaly-event';
import { apiApp } from '../../collector/src/api/api-app.ts';
import { AuthFailures } from '../../collector/src/auth/auth-failures.ts';
import { TokenStore } from '../../collector/src/auth/token-store.ts';
import { emptyIngestStats } from '../../collector/src/ingest/ingest-stats.ts';
import { LiveFeed } from '../../collector/src/live/live-feed.ts';
import { AnomalyScan, DEFAULT_SCAN } from '../../collector/src/analytics/anomaly-scan.ts';
import { ChunkedStore } from '../../collector/src/store/chunked-store.ts';
import { AnomalyRows } from '../../collector/src/store/rows/anomaly-rows.ts';
import { openDatabase } from '../../collector/src/store/schema/sqlite-db.ts';
import { seededNormal } from '../../protocol/src/spc/seeded-normal.ts';
import { scratchDirs } from '../support/scratch-dirs.ts';
import { SessionStore } from '../../collector/src/auth/session-store.ts';
import { SpcBaselineRows } from '../../collector/src/store/rows/spc-baseline-rows.ts';
import { MemoryAuditSink } from '../../collector/src/audit/audit-entry.ts';

const GiB = 2 ** 30;
const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Math.floor(Date.now() / 10_000) * 10_000;
const T0 = NOW - 6 * HOUR;
const STEP_AT = NOW - 20 * MIN;
const JUMP_AT = NOW - 10 * MIN;
const { db } = openDatabase(scratchDirs('analytics-api-')());
const store = new ChunkedStore(db);
const tokens = new TokenStore(db);
const viewer = (tokens.create('v', 'viewer') as { token: string }).token;
const anomalies = new AnomalyRows(db);
const app = apiApp({ store, tokens, sessions: new SessionStore(db, tokens), baselines: new SpcBaselineRows(db), audit: new MemoryAuditSink(), failures: new AuthFailures(1000), stats: emptyIngestStats(), live: new LiveFeed(100), connectedAgents: () => new Set(['gpu-01']), agentBacklogs: () => new Map(), ready: () => true, webRoot: null, analytics: { anomalies, probeBudgetUsd: 0.5 } });
afterAll(() => store.close());

const OPENAI = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.operation.name': 'chat' };
const VLLM = { 'gen_ai.provider.name': 'vllm', 'gen_ai.request.model': 'llama-3.1-8b', 'server.address': '127.0.0.1:8000' };
const rnd = seededNormal(5);
let seq = 0;
// Six hours of one host every 10 s: GPU 0 leaking memory, both GPUs at 300 W, a vLLM counter at
// 600 tokens/s, a KV cache at 40 %, GPU 1's temperature stepping up 15 °C, probes every 30 s.
for (let t = T0; t <= NOW; t += 10_000) {
  const gpu = (id: string) => ({ 'hw.id': id, 'hw.type': 'gpu' });
  const b: BatchSeries[] = [
    { name: 'hw.gpu.memory.usage', labels: gpu('0'), ts: Float64Array.of(t), values: Float64Array.of(40 * GiB + (2 * GiB * (t - T0)) / HOUR + 0.01 * GiB * rnd()) },
    { name: 'hw.gpu.memory.limit', labels: gpu('0'), ts: Float64Array.of(t), values: Float64Array.of(80 * GiB) },
    { name: 'hw.gpu.power.draw', labels: gpu('0'), ts: Float64Array.of(t), values: Float64Array.of(300) },
    { name: 'hw.gpu.power.draw', labels: gpu('1'), ts: Float64Array.of(t), values: Float64Array.of(300) },
    { name: 'hw.gpu.temperature', labels: gpu('1'), ts: Float64Array.of(t), values: Float64Array.of(Math.round(60 + rnd() + (t >= STEP_AT ? 15 : 0))) },
    { name: 'sigmascope.inference.output_tokens', labels: VLLM, ts: Float64Array.of(t), values: Float64Array.of((600 * (t - T0)) / 1000) },
    { name: 'sigmascope.inference.kv_cache.utilization', labels: VLLM, ts: Float64Array.of(t), values: Float64Array.of(0.4 + 0.01 * rnd()) },
  ];
  if ((t - T0) % 30_000 === 0) {
    b.push({ name: 'gen_ai.client.operation.time_to_first_chunk', labels: OPENAI, ts: Float64Array.of(t), values: Float64Array.of((t >= JUMP_AT ? 1.2 : 0.3) * Math.exp(0.05 * rnd())) });
    b.push({ name: 'sigmascope.probe.cost', labels: OPENAI, ts: Float64Array.of(t), values: Float64Array.of(0.0001) });
  }
  const events = t === JUMP_AT ? [anomalyEvent('gen_ai.client.operation.time_to_first_chunk', OPENAI, t, 1.2, 0.3, 0.015)] : [];
  store.storeBatch('gpu-01', 'main', ++seq, b, events, t);
  if ((t - T0) % (10 * MIN) === 0) store.flush();
}
store.flush(true);

async function get(path: string): Promise<any> {
  const res = await app.request(path, { headers: { authorization: `Bearer ${viewer}` } });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

describe('analytics API', () => {
  it('capacity: the leaking GPU is full when its line says, the KV cache never, spend by midnight exact, TTFT trend up', async () => {
    const c = await get('/api/v1/capacity?agent=gpu-01');
    const mem = c.rows.find((r: any) => r.kind === 'gpu_memory');
    expect(mem).toMatchObject({ label: 'GPU 0', unit: 'bytes', limit: 80 * GiB });
    // 52 GiB now, 2 GiB an hour: 14 h to 80 GiB.
    expect(mem.current / GiB).toBeCloseTo(52, 0);
    expect(mem.reach.expected / HOUR).toBeGreaterThan(13.3);
    expect(mem.reach.expected / HOUR).toBeLessThan(14.7);
    expect(mem.reach.earliest).toBeLessThanOrEqual(mem.reach.expected);
    const kv = c.rows.find((r: any) => r.kind === 'kv_cache');
    expect(kv).toMatchObject({ label: 'llama-3.1-8b', limit: 1, reach: { expected: null } });
    const spend = c.rows.find((r: any) => r.kind === 'probe_spend');
    const dayStart = Math.floor(NOW / 86_400_000) * 86_400_000;
    const probesToday = Math.floor((NOW - Math.max(T0, dayStart)) / 30_000) + ((Math.max(T0, dayStart) - T0) % 30_000 === 0 ? 1 : 0);
    expect(spend.current).toBeCloseTo(probesToday * 0.0001, 6);
    expect(spend.limit).toBe(0.5);
    const latency = c.rows.find((r: any) => r.kind === 'latency');
    expect(latency.label).toBe('openai gpt-4o-mini');
    // The last whole 10-minute bucket holds as much of the jump as the clock's phase gives it:
    // its mean is that of its probes, 0.3 s before the jump and 1.2 s after (noise ±5 %).
    const bucketEnd = Math.floor(NOW / (10 * MIN)) * 10 * MIN;
    const probes: number[] = [];
    for (let t = T0; t < bucketEnd; t += 30_000) if (t >= bucketEnd - 10 * MIN) probes.push(t >= JUMP_AT ? 1.2 : 0.3);
    const expected = probes.reduce((a, b) => a + b, 0) / probes.length;
    expect(Math.abs(latency.current - expected) / expected).toBeLessThan(0.1);
    expect(latency.ahead.value).toBeGreaterThan(0.3);
    expect(latency.ahead.lower).toBeLessThanOrEqual(latency.ahead.value);
    expect(latency.ahead.upper).toBeGreaterThanOrEqual(latency.ahead.value);
  });

  it('energy per token: 2 × 300 W for 600 tokens/s is 1 J per token, with a narrow interval around it', async () => {
    const e = await get(`/api/v1/energy?from=${NOW - HOUR}&to=${NOW}`);
    expect(e.rows).toHaveLength(1);
    const r = e.rows[0];
    expect(r).toMatchObject({ agent: 'gpu-01', provider: 'vllm', model: 'llama-3.1-8b', gpus: 2, shared: false, level: 0.95 });
    expect(r.joulesPerToken).toBeCloseTo(1, 9);
    expect(r.watts).toBeCloseTo(600, 6);
    expect(r.tokensPerSecond).toBeCloseTo(600, 6);
    expect(r.interval[0]).toBeLessThanOrEqual(1);
    expect(r.interval[1]).toBeGreaterThanOrEqual(1);
    expect(r.coveredMs).toBe(HOUR);
  });

  it('a series\' anomalies: the TTFT jump and the temperature step, at their times, on the stored points', async () => {
    const ttft = await get(`/api/v1/anomalies/series?name=gen_ai.client.operation.time_to_first_chunk&agent=gpu-01&from=${NOW - HOUR}&to=${NOW}&gen_ai.provider.name=openai&gen_ai.request.model=gpt-4o-mini&gen_ai.operation.name=chat`);
    expect(ttft.options.transform).toBe('log');
    expect(ttft.anomalies.map((a: any) => a.ts)).toEqual([JUMP_AT]);
    expect(ttft.scores.length).toBeGreaterThan(100);
    const temp = await get(`/api/v1/anomalies/series?series=${encodeURIComponent('hw.gpu.temperature{hw.id="1",hw.type="gpu"}')}&agent=gpu-01&from=${NOW - HOUR}&to=${NOW}`);
    expect(temp.stepMs).toBe(10_000);
    expect(temp.anomalies).toHaveLength(1);
    expect(temp.anomalies[0].ts).toBe(STEP_AT);
    expect(temp.anomalies[0].baseline).toBeCloseTo(60, 0);
  });

  it('the collector\'s scan finds the temperature step by the minute, and the list holds it beside the agent\'s event', async () => {
    const scan = new AnomalyScan(store, anomalies, { ...DEFAULT_SCAN, sliceSeries: 3 });
    for (let now = T0 + 2 * MIN; now <= NOW + DEFAULT_SCAN.graceMs; now += MIN) while (!scan.step(now).done);
    expect(scan.status()).toMatchObject({ watched: 9, untracked: 0 });
    const list = await get(`/api/v1/anomalies?from=${T0}&to=${NOW}`);
    const fromScan = list.anomalies.filter((a: any) => a.source === 'collector');
    const step = fromScan.find((a: any) => a.name === 'hw.gpu.temperature');
    expect(step).toBeDefined();
    // The minute holding the step, or the next when the step came late in its minute.
    expect(step.ts).toBeGreaterThanOrEqual(STEP_AT);
    expect(step.ts).toBeLessThan(STEP_AT + 2 * MIN);
    expect(fromScan.some((a: any) => a.name === 'gen_ai.client.operation.time_to_first_chunk')).toBe(true);
    // Nothing on the steady series: the line, the flat cache and power, the counter's constant rate.
    expect(fromScan.filter((a: any) => ['hw.gpu.power.draw', 'sigmascope.inference.output_tokens', 'hw.gpu.memory.limit'].includes(a.name))).toEqual([]);
    const fromAgent = list.anomalies.filter((a: any) => a.source === 'agent');
    expect(fromAgent).toEqual([expect.objectContaining({ name: 'gen_ai.client.operation.time_to_first_chunk', ts: JUMP_AT, value: 1.2, baseline: 0.3, score: expect.closeTo(60, 9), state: 'open' })]);
    expect((await get(`/api/v1/anomalies?from=${T0}&to=${NOW}&source=agent`)).anomalies).toHaveLength(1);
  });

  it('forecasts the leak: an hour on, 2 GiB more, inside the interval', async () => {
    const f = await get(`/api/v1/forecast?name=hw.gpu.memory.usage&hw.id=0&hw.type=gpu&agent=gpu-01&from=${NOW - 6 * HOUR}&to=${NOW}&horizon=${HOUR}&step=60000`);
    expect(f.stepMs).toBe(60_000);
    const [ts, mean, lo, hi] = f.points[f.points.length - 1];
    // A point forecasts its bucket's mean: the line at the bucket's middle.
    const truth = 40 * GiB + (2 * GiB * (ts + 30_000 - T0)) / HOUR;
    expect(Math.abs(mean - truth) / truth).toBeLessThan(0.005);
    expect(lo).toBeLessThan(truth);
    expect(hi).toBeGreaterThan(truth);
  });

  it('a window too short to forecast is an answer without points, saying why', async () => {
    const f = await get(`/api/v1/forecast?name=hw.gpu.memory.usage&hw.id=0&hw.type=gpu&agent=gpu-01&from=${NOW - 30_000}&to=${NOW}&step=10000`);
    expect(f.points).toEqual([]);
    expect(f.unavailable).toMatch(/too few/);
  });

  it('refuses bad parameters naming them', async () => {
    const status = async (p: string) => (await app.request(p, { headers: { authorization: `Bearer ${viewer}` } })).status;
    expect(await status('/api/v1/capacity')).toBe(400);
    expect(await status('/api/v1/anomalies?source=robot')).toBe(400);
    expect(await status('/api/v1/anomalies/series?name=hw.gpu.temperature&threshold=high')).toBe(400);
    expect(await status('/api/v1/forecast?name=hw.gpu.memory.usage&level=2')).toBe(400);
    expect(await status(`/api/v1/forecast?name=hw.gpu.memory.usage&hw.id=0&hw.type=gpu&from=${NOW - HOUR}&to=${NOW}&horizon=${366 * 86_400_000}&step=1000`)).toBe(400);
    expect(await status('/api/v1/forecast?name=no.such.series')).toBe(404);
  });
});
