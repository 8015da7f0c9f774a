/**
 * The QueryBackend contract, run by both backends on the same samples: a store is filled, every
 * sample is remote-written (our RemoteWriteExporter) to a real Prometheus and a real
 * VictoriaMetrics, and the prometheus backend over each engine must answer what the local backend
 * answers from the store: the same series and labels (OpenTelemetry names back), the same raw
 * points, step buckets, last values, percentiles, top-k and providers table, and the agents from
 * their info series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { agentInfoBatch } from '../collector/src/export/agent-info.ts';
import { ExportSource } from '../collector/src/export/export-source.ts';
import { RemoteWriteExporter } from '../collector/src/export/remote-write/remote-write-exporter.ts';
import { LocalBackend } from '../collector/src/query/local-backend.ts';
import { PromApi } from '../collector/src/query/prometheus/prom-api.ts';
import { PrometheusBackend } from '../collector/src/query/prometheus/prometheus-backend.ts';
import type { QueryBackend, SeriesSelector } from '../collector/src/query/query-backend.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { Label } from '@sigmascope/protocol/metrics';
import { scratchDirs } from './support/scratch-dirs.ts';
import { waitFor } from './support/processes.ts';
import { hasBinary, killEngines, startPrometheus, startVictoriaMetrics } from './support/tsdb.ts';
import type { Engine } from './support/tsdb.ts';
import { promQuery } from './support/tsdb.ts';

const missing = ['prometheus', 'victoria-metrics'].filter((b) => !hasBinary(b));
const STEP = 60_000;
// Twenty minutes of samples ending a minute ago, on whole minutes, every 5 s.
const END = Math.floor(Date.now() / STEP) * STEP - STEP;
const START = END - 20 * STEP;
const AGENTS = ['gpu-01', 'gpu-02'] as const;

function fill(store: ChunkedStore): void {
  let seq = 0;
  for (const agent of AGENTS) store.noteAgent({ id: agent, name: `${agent}-name`, hostname: `${agent}.example`, version: '0.1.0', bootId: `boot-${agent}`, clockSkewMs: 12, seenAt: END });
  for (let ts = START, i = 0; ts < END; ts += 5_000, i++) {
    for (const [a, agent] of AGENTS.entries()) {
      const b: BatchSeries[] = [];
      for (const gpu of [0, 1]) b.push({ name: 'hw.gpu.utilization', labels: { 'hw.id': `GPU-${gpu}`, 'hw.model': 'H100' }, ts: Float64Array.of(ts), values: Float64Array.of(((i * 7 + gpu * 3) % 17) / 17 * (a + 1) / 2) });
      b.push({ name: 'system.network.io', labels: { 'network.io.direction': 'receive' }, ts: Float64Array.of(ts), values: Float64Array.of(i * 1000 + a) });
      if (i % 3 === 0) {
        const labels = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-x', 'gen_ai.operation.name': 'chat' };
        b.push({ name: 'gen_ai.client.operation.duration', labels, ts: Float64Array.of(ts), values: Float64Array.of(0.4 + ((i * 13) % 11) / 10 + a) });
        b.push({ name: 'gen_ai.client.operation.time_to_first_chunk', labels, ts: Float64Array.of(ts), values: Float64Array.of(0.1 + ((i * 5) % 7) / 20) });
        if (i % 9 === 0) b.push({ name: 'gen_ai.client.operation.duration', labels: { ...labels, 'error.type': 'timeout' }, ts: Float64Array.of(ts), values: Float64Array.of(30) });
      }
      store.storeBatch(agent, 'main', ++seq, b, [], END);
    }
  }
}

/** Sends every intake record and one agent-info period to the engine, as the collector does. */
async function writeAll(store: ChunkedStore, engine: Engine): Promise<void> {
  const source = new ExportSource(store);
  const exporter = new RemoteWriteExporter({ url: engine.writeUrl, headers: {}, timeoutMs: 10_000, userAgent: 'test' });
  for (let after = 0; ; ) {
    const b = source.read(after, 5_000, 1_000, 0);
    if (b === null) break;
    expect(await exporter.send({ series: b.series })).toEqual({ status: 'ok' });
    after = b.lastId;
  }
  expect(await exporter.send(agentInfoBatch(store.agents(), new Set(['gpu-01']), END))).toEqual({ status: 'ok' });
}

const freshDir = scratchDirs('query-backend-');
let store: ChunkedStore;
let local: QueryBackend;
const engines: Engine[] = [];

beforeAll(async () => {
  if (missing.length > 0) return;
  store = new ChunkedStore(openDatabase(freshDir()).db, { clock: () => END + 5_000 });
  fill(store);
  local = new LocalBackend(store, () => new Set(['gpu-01']), () => END + 5_000);
  engines.push(await startPrometheus(), await startVictoriaMetrics());
  for (const e of engines) {
    await writeAll(store, e);
    await waitFor(`${e.name} to hold every sample`, async () => {
      let n = 0;
      for (const m of ['hw_gpu_utilization_ratio', 'system_network_io_bytes_total', 'gen_ai_client_operation_duration_seconds', 'gen_ai_client_operation_time_to_first_chunk_seconds']) n += Number((await promQuery(e, `sum(count_over_time(${m}[30m]))`, END))[0]?.value?.[1] ?? 0);
      return n >= 2 * (240 * 3 + 80 * 2 + 27) ? true : undefined;
    }, 30_000, 500);
  }
}, 120_000);

afterAll(async () => {
  for (const e of engines) await e.stop();
  killEngines();
  store?.close();
});

/**
 * VictoriaMetrics stores a float as a decimal mantissa (12 to 14 significant digits survive), so
 * its values must agree to a relative 1e-11; Prometheus keeps every bit and must agree exactly.
 */
function expectSame(engine: string, got: readonly { agent: string; labels: object; points: [number, number][] }[], want: readonly { agent: string; labels: object; points: [number, number][] }[]): void {
  if (engine === 'prometheus') return void expect(got).toEqual(want);
  expect(got.map((s) => [s.agent, s.labels, s.points.map((p) => p[0])])).toEqual(want.map((s) => [s.agent, s.labels, s.points.map((p) => p[0])]));
  got.forEach((s, i) => s.points.forEach(([, v], k) => expect(Math.abs(v - (want[i]?.points[k]?.[1] as number))).toBeLessThanOrEqual(1e-11 * Math.abs(want[i]?.points[k]?.[1] as number))));
}

const util: SeriesSelector = { name: 'hw.gpu.utilization', matchers: [], limit: 500 };

describe.skipIf(missing.length > 0)(`query backends agree${missing.length > 0 ? ` (skipped: ${missing.join(', ')} not installed; .ci/run installs them)` : ''}`, () => {
  for (const name of ['prometheus', 'victoria-metrics'] as const) {
    const backend = (): QueryBackend => {
      const e = engines.find((x) => x.name === name) as Engine;
      return new PrometheusBackend(new PromApi({ url: e.url, headers: {}, timeoutMs: 10_000 }), Object.values(Label), () => END + 5_000);
    };

    it(`${name}: raw series, labels and points as the store has them`, async () => {
      const want = await local.range(util, START, END, undefined, 'avg', 10_000);
      const got = await backend().range(util, START, END, undefined, 'avg', 10_000);
      expectSame(name, got.series, want.series);
      expect(got.series.length).toBe(4);
      expect(got.series[0]?.labels).toEqual({ 'hw.id': 'GPU-0', 'hw.model': 'H100' });
      const one = { ...util, matchers: [{ label: 'agent', pattern: false, value: 'gpu-02' }, { label: 'hw.id', pattern: true, value: 'GPU-?' }] };
      expectSame(name, (await backend().range(one, START, END, undefined, 'avg', 10_000)).series, (await local.range(one, START, END, undefined, 'avg', 10_000)).series);
      const net = { name: 'system.network.io', labels: {}, from: START, to: END, maxPoints: 10_000, maxSeries: 10 };
      expectSame(name, await backend().series(net), await local.series(net));
    });

    it(`${name}: step buckets [b, b + step) with every aggregation`, async () => {
      for (const agg of ['avg', 'min', 'max', 'sum', 'count'] as const) {
        const want = await local.range(util, START, END - 1, STEP, agg, 1_000);
        const got = await backend().range(util, START, END - 1, STEP, agg, 1_000);
        expect(got.series.map((s) => s.points.length)).toEqual(want.series.map((s) => s.points.length));
        got.series.forEach((s, i) => s.points.forEach(([t, v], k) => {
          const [wt, wv] = want.series[i]?.points[k] as [number, number];
          expect(t).toBe(wt);
          expect(v).toBeCloseTo(wv, 9);
        }));
      }
    });

    it(`${name}: percentiles, top-k and the providers table`, async () => {
      const dur: SeriesSelector = { name: 'gen_ai.client.operation.duration', matchers: [], limit: 500 };
      const want = await local.percentiles(dur, ['agent', 'gen_ai.provider.name'], [0.5, 0.95], START, END);
      const got = await backend().percentiles(dur, ['agent', 'gen_ai.provider.name'], [0.5, 0.95], START, END);
      expect(got).toEqual(want);
      for (const agg of ['avg', 'max', 'count'] as const) {
        const w = await local.topK(util, ['agent'], agg, 5, 'desc', START, END);
        const g = await backend().topK(util, ['agent'], agg, 5, 'desc', START, END);
        expect(g.rows.map((r) => [r.rank, r.group, r.series])).toEqual(w.rows.map((r) => [r.rank, r.group, r.series]));
        g.rows.forEach((r, i) => expect(r.value).toBeCloseTo(w.rows[i]?.value as number, 9));
      }
      const providers = await backend().providers(START, END);
      expect(providers).toEqual(await local.providers(START, END));
      expect(providers[0]?.errors).toBeGreaterThan(0);
    });

    it(`${name}: metric names, the last values, and the agents from their info series`, async () => {
      const names = await backend().metricNames();
      for (const n of await local.metricNames()) expect(names).toContain(n);
      expect(names).not.toContain('sigmascope.agent.info');
      const asSeries = (rows: readonly { agent: string; labels: object; ts: number; value: number }[]) => rows.map((r) => ({ agent: r.agent, labels: r.labels, points: [[r.ts, r.value]] as [number, number][] }));
      expectSame(name, asSeries((await backend().last(util)).rows), asSeries((await local.last(util)).rows));
      const agents = await backend().agents();
      expect(agents.map((a) => [a.id, a.name, a.hostname, a.version, a.bootId, a.clockSkewMs, a.samples, a.lastSeq, a.connected])).toEqual(
        (await local.agents()).map((a) => [a.id, a.name, a.hostname, a.version, a.bootId, a.clockSkewMs, a.samples, a.lastSeq, a.connected]),
      );
    });
  }
});
