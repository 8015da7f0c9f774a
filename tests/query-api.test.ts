/**
 * The query API answers every pattern of the storage issue from a real store, with values that
 * agree with a direct computation on the same points, 400s that name the parameter, and CSV.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { apiApp } from '../collector/src/api/api-app.ts';
import { AuthFailures } from '../collector/src/auth/auth-failures.ts';
import { TokenStore } from '../collector/src/auth/token-store.ts';
import { SessionStore } from '../collector/src/auth/session-store.ts';
import { emptyIngestStats } from '../collector/src/ingest/ingest-stats.ts';
import { LiveFeed } from '../collector/src/live/live-feed.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { SpcBaselineRows } from '../collector/src/store/rows/spc-baseline-rows.ts';
import { MemoryAuditSink } from '../collector/src/audit/audit-entry.ts';

const MIN = 60_000;
const NOW = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const T0 = NOW - 2 * 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'query-api-'));
const db = openDatabase(dir).db;
const store = new ChunkedStore(db);
const tokens = new TokenStore(db);
const viewer = (tokens.create('v', 'viewer') as { token: string }).token;
const app = apiApp({ store, tokens, sessions: new SessionStore(db, tokens), failures: new AuthFailures(1000), stats: emptyIngestStats(), live: new LiveFeed(100), connectedAgents: () => new Set(['gpu-01']), agentBacklogs: () => new Map(), ready: () => true, webRoot: null, baselines: new SpcBaselineRows(db), audit: new MemoryAuditSink() });
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

// Two hosts × two GPUs of utilization (host gpu-02 twice as busy), a counter, and probe latencies.
const util = (host: number, gpu: number, i: number): number => ((i % 10) / 20 + gpu / 10) * host;
let seq = 0;
for (let i = 0; i < 2 * 3600 / 10; i++) {
  const ts = T0 + i * 10_000;
  for (const host of [1, 2]) {
    const b: BatchSeries[] = [];
    for (const gpu of [0, 1]) b.push({ name: 'hw.gpu.utilization', labels: { 'hw.id': `GPU-${gpu}` }, ts: Float64Array.of(ts), values: Float64Array.of(util(host, gpu, i)) });
    b.push({ name: 'system.network.io', labels: { direction: 'receive' }, ts: Float64Array.of(ts), values: Float64Array.of(i < 300 ? i * 1000 : (i - 299) * 1000) });
    for (const [provider, model, base] of [['openai', 'gpt-4o', 0.3], ['anthropic', 'claude-sonnet-4', 0.5]] as const) {
      const labels = { 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, 'gen_ai.operation.name': 'chat' };
      b.push({ name: 'gen_ai.client.operation.time_to_first_chunk', labels, ts: Float64Array.of(ts), values: Float64Array.of(base + (i % 100) / 1000) });
      b.push({ name: 'gen_ai.client.operation.duration', labels, ts: Float64Array.of(ts), values: Float64Array.of(2 * base + (i % 100) / 100) });
      // Throughput alternates 40/60 tokens/s (median 50 … 60 band) and every probe costs the same.
      b.push({ name: 'sigmascope.probe.output_tokens_per_second', labels, ts: Float64Array.of(ts), values: Float64Array.of(i % 2 === 0 ? 40 : 60) });
      b.push({ name: 'sigmascope.probe.cost', labels, ts: Float64Array.of(ts), values: Float64Array.of(base / 1000) });
    }
    store.storeBatch(`gpu-0${host}`, 'main', ++seq, b, i === 5 ? [{ kind: 'spc', ts, name: 'hw.gpu.utilization', labels: { 'hw.id': 'GPU-0' }, rule: '1', value: 1, center: 0.5, sigma: 0.1 }] : [], ts);
  }
  if (i % 60 === 0) store.flush();
}
store.flush(true);
store.rollHours();

async function get(path: string): Promise<{ status: number; json: any; text: string; type: string }> {
  const res = await app.request(path, { headers: { authorization: `Bearer ${viewer}` } });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text, type: res.headers.get('content-type') ?? '' };
}

const FROM = T0;
const TO = T0 + 2 * 3_600_000 - 1;

describe('query API', () => {
  it('range: automatic step from a tier, values equal the raw averages', async () => {
    const r = await get(`/api/v1/query/range?name=hw.gpu.utilization&agent=gpu-01&hw.id=GPU-1&from=${FROM}&to=${TO}&limit=100`);
    expect(r.status).toBe(200);
    expect(r.json.resolution).toBe('5m');
    expect(r.json.stepMs).toBe(300_000);
    const pts = r.json.series[0].points as [number, number][];
    expect(pts.length).toBe(24);
    // 30 points every 10 s per 5 min bucket, i%10 cycles: mean of (k/20 + 0.1) over k = 0..9.
    for (const [, v] of pts) expect(v).toBeCloseTo(0.325, 12);
  });

  it('range: raw points for a short window, and the old /series keeps its answer', async () => {
    const r = await get(`/api/v1/query/range?name=hw.gpu.utilization&agent=gpu-02&hw.id=GPU-0&from=${FROM}&to=${FROM + 99_999}`);
    expect(r.json.resolution).toBe('raw');
    expect(r.json.series[0].points).toEqual(Array.from({ length: 10 }, (_, i) => [FROM + i * 10_000, util(2, 0, i)]));
    const old = await get(`/api/v1/series?name=hw.gpu.utilization&hw.id=GPU-0&agent=gpu-02&from=${FROM}&to=${FROM + 99_999}`);
    expect(old.json.resolution).toBe('raw');
    expect(old.json.series[0].points).toEqual(r.json.series[0].points);
  });

  it('last value per series for the fleet', async () => {
    const r = await get('/api/v1/query/last?name=hw.gpu.utilization');
    expect(r.json.series).toHaveLength(4);
    for (const s of r.json.series) expect(s.ts).toBe(T0 + 719 * 10_000);
  });

  it('percentiles grouped by provider and model, within 1 % rank of the data', async () => {
    const r = await get(`/api/v1/query/percentiles?name=gen_ai.client.operation.time_to_first_chunk&by=gen_ai.provider.name,gen_ai.request.model&from=${FROM}&to=${TO}`);
    expect(r.json.groups.map((g: any) => g.group['gen_ai.provider.name'])).toEqual(['anthropic', 'openai']);
    const openai = r.json.groups[1];
    expect(openai.count).toBe(1440);
    // Values 0.3 + k/1000 for k = 0..99 equally often (a few more of the low ones): p50 ≈ 0.35, p99 ≈ 0.399.
    expect(Math.abs(openai.quantiles.p50 - 0.349)).toBeLessThanOrEqual(0.0011);
    expect(Math.abs(openai.quantiles.p99 - 0.398)).toBeLessThanOrEqual(0.0011);
  });

  it('top-k hosts by a metric', async () => {
    const r = await get(`/api/v1/query/topk?name=hw.gpu.utilization&k=1&from=${FROM}&to=${TO}`);
    expect(r.json.rows).toEqual([{ rank: 1, group: { agent: 'gpu-02' }, value: expect.closeTo(0.55, 12), series: 2 }]);
  });

  it('group-by aggregation: max per GPU over both hosts', async () => {
    const r = await get(`/api/v1/query/aggregate?name=hw.gpu.utilization&by=hw.id&agg=max&from=${FROM}&to=${TO}`);
    expect(r.json.groups.map((g: any) => [g.group['hw.id'], g.points[0][1]])).toEqual([['GPU-0', 0.9], ['GPU-1', 2 * (0.45 + 0.1)]]);
  });

  it('rate of a counter, across a reset', async () => {
    const r = await get(`/api/v1/query/rate?name=system.network.io&agent=gpu-01&from=${FROM}&to=${TO}&step=600000`);
    const pts = r.json.series[0].points as [number, number][];
    // 1000 per 10 s = 100/s everywhere, the reset bucket included (after a reset the new value is the increase).
    for (const [, v] of pts.slice(1)) expect(v).toBeCloseTo(100, 6);
  });

  it('compare two windows', async () => {
    const r = await get(`/api/v1/query/compare?name=gen_ai.client.operation.duration&by=gen_ai.provider.name&before_from=${FROM}&before_to=${FROM + 3_599_999}&after_from=${FROM + 3_600_000}&after_to=${TO}`);
    expect(r.json.groups).toHaveLength(2);
    for (const g of r.json.groups) expect(g.before.count).toBe(720);
  });

  it('violations by series and time, agents and their health, providers', async () => {
    const v = await get(`/api/v1/query/violations?from=${FROM}&to=${TO}`);
    const rows = v.json.series.map((s: any) => `${s.agent} ${s.name} ${s.total} ${s.byRule['1']}`).sort();
    expect(rows).toEqual(['gpu-01 hw.gpu.utilization 1 1', 'gpu-02 hw.gpu.utilization 1 1']);
    const h = await get('/api/v1/query/health');
    expect(Object.fromEntries(h.json.agents.map((a: any) => [a.id, a.connected]))).toEqual({ 'gpu-01': true, 'gpu-02': false });
    const p = await get(`/api/v1/providers?from=${FROM}&to=${TO}`);
    expect(p.json.rows).toHaveLength(4);
    expect(p.json.rows[0]).toMatchObject({ agent: 'gpu-01', provider: 'anthropic', model: 'claude-sonnet-4', probes: 720, errors: 0 });
    expect(p.json.rows[0].ttft.p50).toBeGreaterThan(0.5);
    // Median tokens/s of 40/60 alternating probes lies between them; every anthropic probe cost 0.0005 USD.
    expect(p.json.rows[0].tokensPerSecond).toBeGreaterThanOrEqual(40);
    expect(p.json.rows[0].tokensPerSecond).toBeLessThanOrEqual(60);
    expect(p.json.rows[0].costUsd).toBeCloseTo(0.0005, 6);
  });

  it('exports CSV and documents itself', async () => {
    const c = await get(`/api/v1/query/topk?name=hw.gpu.utilization&from=${FROM}&to=${TO}&format=csv`);
    expect(c.type).toContain('text/csv');
    expect(c.text.split('\r\n')[0]).toBe('rank,agent,value,series');
    expect(c.text.split('\r\n')[1]).toMatch(/^1,gpu-02,0\.55/);
    const doc = await get('/api/v1/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    for (const p of ['range', 'last', 'percentiles', 'topk', 'aggregate', 'rate', 'compare', 'violations', 'health']) expect(doc.json.paths).toHaveProperty(`/api/v1/query/${p}`);
  });

  it('answers 400 naming the bad parameter', async () => {
    for (const [q, param] of [['name=bad name', 'name'], ['name=m&from=yesterday', 'from'], ['name=m&agg=median', 'agg'], ['name=m&step=1', 'step'], ['name=m&bad%20label=x', 'bad label'], ['name=m&from=0&to=9999999999999&step=1000', 'step'], ['name=m&format=xml', 'format']] as const) {
      const r = await get(`/api/v1/query/range?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.message.startsWith(`${param}=`), r.json.error.message).toBe(true);
    }
    for (const [route, q, param] of [['percentiles', 'name=m&q=1.5', 'q'], ['aggregate', 'name=m&by=a b', 'by'], ['aggregate', 'name=m&step=5', 'step'], ['rate', 'name=m&from=0&to=999999999', 'from'], ['topk', 'name=m&k=0', 'k'], ['topk', 'name=m&order=up', 'order'], ['compare', 'name=m&after_from=9&after_to=1', 'after_from'], ['violations', 'bucket=5', 'bucket']] as const) {
      const r = await get(`/api/v1/query/${route}?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.message.startsWith(`${param}=`), r.json.error.message).toBe(true);
    }
  });

  it('matches labels by pattern', async () => {
    const r = await get('/api/v1/query/last?name=gen_ai.client.operation.duration&gen_ai.request.model~=claude-*&agent~=gpu-0?');
    expect(r.json.series).toHaveLength(2);
    expect(new Set(r.json.series.map((s: any) => s.labels['gen_ai.provider.name']))).toEqual(new Set(['anthropic']));
  });
});
