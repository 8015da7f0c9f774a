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
  ws.send(encodeFrame(b.seal(1, T0)));
  await ws.waitFor(2);
  await ws.close();
});
afterAll(() => c.stop());

const get = (q: string): Promise<Response> => fetch(`http://127.0.0.1:${c.port}/api/v1/spc?${q}`, { headers: { authorization: `Bearer ${viewer}` } });

describe('GET /api/v1/spc', () => {
  it('serves the same chart the shared SPC code computes, with timestamps', async () => {
    const res = await get(`series=${encodeURIComponent(temp.key)}&agent=gpu-01&chart=individuals&phase1=40&from=${T0 - 1}`);
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
