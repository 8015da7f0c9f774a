/**
 * `GET /api/v1/spc` on a real collector: the chart it serves for stored samples is the one the
 * shared SPC code computes for the same values, and bad parameters get 400 naming them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { silentLogger } from '../protocol/src/log.ts';
import { series } from '../protocol/src/series.ts';
import { spcChart } from '../protocol/src/spc/chart.ts';
import { loadCollectorConfig } from '../collector/src/config/collector-config.ts';
import { runCollector } from '../collector/src/main.ts';
import type { RunningCollector } from '../collector/src/main.ts';
import { parseSeriesKey } from '../collector/src/api/spc-route.ts';
import { connectAgent } from './support/ws-agent.ts';

let c: RunningCollector;
let viewer: string;
const T0 = Date.now() - 60_000;
// In control around 70 °C, then a +4 °C shift for the last 12 points (a rule 1/2 pattern).
const values = Array.from({ length: 60 }, (_, i) => 70 + Math.sin(i * 1.7) * 0.8 + (i >= 48 ? 4 : 0));
const temp = series('hw.gpu.temperature', { 'hw.id': 'GPU-1' });
// 41 probes of TTFT around 0.3 s, and one failed probe (a 30 s timeout) of the same provider and model.
const TTFT = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.operation.name': 'chat' };
const ttftValues = Array.from({ length: 41 }, (_, i) => 0.3 * Math.exp(0.25 * Math.sin(i * 2.3)));
const ttft = series('gen_ai.client.operation.time_to_first_chunk', TTFT);
const ttftFailed = series('gen_ai.client.operation.time_to_first_chunk', { ...TTFT, 'error.type': 'timeout' });
// Cumulative received bytes: 1 MB/s, then 3 MB/s for the last 10 samples.
const rx = series('system.network.io', { 'network.interface.name': 'eth0', 'network.io.direction': 'receive' });
const rxTotals: number[] = [];
for (let i = 0, total = 1e9; i < 61; i++) rxTotals.push((total += (i >= 51 ? 1_500_000 : 500_000) + 1000 * Math.sin(i)));

beforeAll(async () => {
  c = await runCollector(loadCollectorConfig({ auth: { failureLimit: 100 } }, 'test', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data: mkdtempSync(join(tmpdir(), 'spc-api-')), listen: '127.0.0.1', port: 0 }), silentLogger, null);
  const a = c.tokens.create('gpu-01', 'agent');
  const v = c.tokens.create('viewer', 'viewer');
  if (!a.ok || !v.ok) throw new Error('tokens');
  viewer = v.token;
  const ws = await connectAgent(`ws://127.0.0.1:${c.port}/ingest`, a.token);
  ws.send({ t: 'hello', proto: 1, agentVersion: 't', bootId: 'b', stream: 's', hostname: 'h', clock: Date.now() });
  const b = new BatchBuilder();
  values.forEach((v, i) => b.add(temp, T0 + i * 500, v));
  ttftValues.forEach((v, i) => b.add(ttft, T0 + i * 1000, v));
  b.add(ttftFailed, T0 + 41_000, 30);
  rxTotals.forEach((v, i) => b.add(rx, T0 + i * 500, v));
  ws.send(encodeFrame(b.seal(1, T0)));
  await ws.waitFor(2);
  await ws.close();
});
afterAll(() => c.stop());

const get = (q: string): Promise<Response> => fetch(`http://127.0.0.1:${c.port}/api/v1/spc?${q}`, { headers: { authorization: `Bearer ${viewer}` } });

describe('GET /api/v1/spc', () => {
  it('serves the same chart the shared SPC code computes, with timestamps', async () => {
    const res = await get(`series=${encodeURIComponent(temp.key)}&agent=gpu-01&chart=individuals&phase1=40&rules=nelson&from=${T0 - 1}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { center: number; sigma: number; ucl: number; violations: { rule: string; index: number }[]; points: { ts: number }[] };
    const reference = spcChart(values, { phase1: 40 });
    if (!reference.ok) throw new Error(reference.error);
    expect(body.center).toBeCloseTo(reference.chart.center, 12);
    expect(body.sigma).toBeCloseTo(reference.chart.sigma, 12);
    expect(body.violations).toEqual(reference.chart.violations.map((v) => expect.objectContaining({ rule: v.rule, index: v.index })));
    expect(body.violations.some((v) => v.rule === 'nelson1' && v.index >= 48)).toBe(true);
    expect(body.points[0]?.ts).toBe(T0);
  });

  it('charts 2 Hz telemetry as X̄-S of 20 unless told otherwise (docs/spc.md)', async () => {
    const res = await get(`name=hw.gpu.temperature&hw.id=GPU-1&from=${T0 - 1}`);
    const body = (await res.json()) as { chart: string; size: number; n: number; sigma: number };
    const reference = spcChart(values, { chart: 'xbar-s', subgroup: 20 });
    if (!reference.ok) throw new Error(reference.error);
    expect(body).toMatchObject({ chart: 'xbar-s', size: 20, n: 3 });
    expect(body.sigma).toBeCloseTo(reference.chart.sigma, 12);
  });

  it('leaves the subgroup still filling out, and draws the S chart beside X̄', async () => {
    const res = await get(`name=hw.gpu.temperature&hw.id=GPU-1&chart=xbar-s&subgroup=7&from=${T0 - 1}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { n: number; dropped: number; dispersion: { kind: string; points: unknown[]; center: number } };
    // 60 values: 8 full subgroups of 7, the last 4 values wait for the next subgroup.
    expect(body).toMatchObject({ n: 8, dropped: 4, dispersion: { kind: 's' } });
    expect(body.dispersion.points).toHaveLength(8);
  });

  it('charts TTFT on a log scale with its limits in seconds; the failed probe is neither a point nor a 400', async () => {
    const res = await get(`name=gen_ai.client.operation.time_to_first_chunk&gen_ai.provider.name=openai&gen_ai.request.model=gpt-4o-mini&from=${T0 - 1}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { labels: Record<string, string>; transform: string; n: number; rules: string[]; lcl: number; inUnits: { center: number; lcl: number; ucl: number }; dispersion: { kind: string } };
    expect(body.labels['error.type']).toBeUndefined();
    expect(body).toMatchObject({ transform: 'log', n: 41, rules: ['nelson1', 'nelson2', 'nelson3', 'nelson5', 'nelson6'], dispersion: { kind: 'mr' } });
    const reference = spcChart(ttftValues, { transform: 'log', rules: ['nelson1', 'nelson2', 'nelson3', 'nelson5', 'nelson6'] });
    if (!reference.ok) throw new Error(reference.error);
    expect(body.lcl).toBeLessThan(0); // ln seconds
    expect(body.inUnits.lcl).toBeGreaterThan(0);
    expect(body.inUnits.lcl).toBeCloseTo(Math.exp(reference.chart.lcl), 12);
    expect(body.inUnits.center).toBeCloseTo(Math.exp(reference.chart.center), 12);
    // Asked for, the failed probes are a series of their own.
    const failed = await get(`name=gen_ai.client.operation.time_to_first_chunk&error.type=timeout&chart=individuals&sigma=0.1&from=${T0 - 1}`);
    expect(failed.status).toBe(200);
  });

  it('takes given limits: the centre and σ a violation was raised with', async () => {
    const res = await get(`name=hw.gpu.temperature&hw.id=GPU-1&center=70&sigma=0.5&from=${T0 - 1}`);
    const body = (await res.json()) as { center: number; sigma: number; ucl: number; size: number };
    expect(body).toMatchObject({ center: 70, sigma: 0.5, size: 20 });
    expect(body.ucl).toBeCloseTo(70 + (3 * 0.5) / Math.sqrt(20), 12);
  });

  it('charts a counter on its rate: bytes per second, never the cumulative total', async () => {
    const res = await get(`name=system.network.io&network.interface.name=eth0&chart=individuals&phase1=40&from=${T0 - 1}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { of: string; n: number; center: number; violations: { index: number }[]; points: { value: number }[] };
    expect(body.of).toBe('rate');
    expect(body.n).toBe(60);
    expect(body.center).toBeCloseTo(1_000_000, -3);
    expect(body.points[55]?.value).toBeCloseTo(3_000_000, -4);
    expect(body.violations.some((v) => v.index >= 50)).toBe(true);
  });

  it('finds the series by name and labels too, and charts subgroups', async () => {
    const res = await get(`name=hw.gpu.temperature&hw.id=GPU-1&chart=xbar-s&subgroup=5&from=${T0 - 1}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { chart: string; n: number }).n).toBe(12);
  });

  it.each([
    ['series=not%20a%20key', 400, 'series='],
    ['name=hw.gpu.temperature&chart=pie', 400, 'chart="pie"'],
    ['name=hw.gpu.temperature&rules=nelson9', 400, 'rules='],
    ['name=hw.gpu.nothing', 404, 'no series'],
  ])('%s → %i', async (q, status, text) => {
    const res = await get(`${q}&from=${T0 - 1}`);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(text);
  });

  it('parses series keys with escaped quotes and refuses junk', () => {
    expect(parseSeriesKey('a.b{x="1",y="q\\"z"}')).toEqual({ name: 'a.b', labels: { x: '1', y: 'q"z' } });
    expect(parseSeriesKey('a.b')).toEqual({ name: 'a.b', labels: {} });
    expect(parseSeriesKey('a.b{x=1}')).toBeNull();
  });
});

describe('POST /api/v1/spc/baselines', () => {
  it('re-baselines a series: the chart starts there and takes its limits after it; the audit trail has who', async () => {
    const admin = c.tokens.create('operator', 'admin');
    if (!admin.ok) throw new Error(admin.reason);
    const post = (body: unknown): Promise<Response> => fetch(`http://127.0.0.1:${c.port}/api/v1/spc/baselines`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ agent: 'gpu-01', series: 'not a key' })).status).toBe(400);
    expect((await post({ agent: 'gpu-01', series: temp.key, from: Date.now() + 3_600_000 })).status).toBe(400);
    // From the shift on (point 48): the new centre is the shifted level, and the shift is no longer a violation.
    const res = await post({ agent: 'gpu-01', series: temp.key, from: T0 + 48 * 500 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ agent: 'gpu-01', series: temp.key, from: T0 + 48 * 500, by: 'operator' });
    const chart = (await (await get(`series=${encodeURIComponent(temp.key)}&agent=gpu-01&chart=individuals&rules=nelson1&from=${T0 - 1}`)).json()) as { n: number; center: number; baseline: { by: string }; violations: unknown[] };
    expect(chart.n).toBe(12);
    expect(chart.center).toBeCloseTo(values.slice(48).reduce((s, v) => s + v, 0) / 12, 9);
    expect(chart.baseline.by).toBe('operator');
  });
});
