/**
 * Rollup tiers equal the raw data's aggregates, whatever the arrival order and flush timing, and
 * quantiles from the sketches stay within 1 % rank error of the raw data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { seriesBuckets } from '../collector/src/query/series-buckets.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { QuantileSketch } from '../collector/src/store/rollups/quantile-sketch.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { rankError } from './support/rank-error.ts';

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'store-rollups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seed = 7;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed + 0.5) / 2147483648;
};
const gauss = (): number => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());

/** Value generators, each a kind of series users take percentiles of. Dyadic ones sum exactly. */
const KINDS: Record<string, () => number> = {
  ttft: () => 0.4 * Math.exp(0.3 * gauss()), // latency, lognormal
  util: () => Math.round(rnd() * 256) / 256, // ratio, dyadic
  temp: () => 65 + 2 * gauss(), // narrow: the case plain DDSketch at 1 % misses
  tempWhole: () => Math.round(60 + 2 * gauss()), // tied whole degrees
};

interface Truth {
  ts: number[];
  values: number[];
}

/** 3 h of 2 Hz points per kind, sent in batches of 10 ticks, a tenth of them arriving late. */
function load(): { store: ChunkedStore; truth: Map<string, Truth>; now: () => number } {
  let clock = T0;
  const store = new ChunkedStore(openDatabase(dir).db, { clock: () => clock });
  const truth = new Map<string, Truth>(Object.keys(KINDS).map((k) => [k, { ts: [], values: [] }]));
  const late: BatchSeries[][] = [];
  let seq = 0;
  for (let tick = 0; tick < 3 * 7200; tick += 10) {
    const b: BatchSeries[] = [];
    for (const [kind, gen] of Object.entries(KINDS)) {
      const ts = Float64Array.from({ length: 10 }, (_, i) => T0 + (tick + i) * 500 + (i % 2));
      const values = Float64Array.from({ length: 10 }, gen);
      const t = truth.get(kind) as Truth;
      t.ts.push(...ts);
      t.values.push(...values);
      b.push({ name: 'm', labels: { kind }, ts, values });
    }
    if (rnd() < 0.1) late.push(b);
    else store.storeBatch('a', 's', ++seq, b, [], clock);
    clock = T0 + tick * 500;
    if (tick % 600 === 0) store.flush();
    if (tick % 7200 === 0) store.rollHours();
    // Late batches arrive a few minutes (sometimes more than an hour) after their time.
    if (late.length > 0 && rnd() < 0.05) store.storeBatch('a', 's', ++seq, late.shift() as BatchSeries[], [], clock);
  }
  for (const b of late) store.storeBatch('a', 's', ++seq, b, [], clock);
  clock = T0 + 4 * H;
  store.rollHours();
  return { store, truth, now: () => clock };
}

const { store, truth, now } = load();
const id = (kind: string): number => (store.findSeries('m', (s) => s.labels.kind === kind, 1).series[0] as { id: number }).id;

function rawAgg(t: Truth, from: number, to: number, bucket: number): Map<number, { count: number; sum: number; min: number; max: number }> {
  const out = new Map<number, { count: number; sum: number; min: number; max: number }>();
  t.ts.forEach((ts, i) => {
    if (ts < from || ts > to) return;
    const v = t.values[i] as number;
    const b = Math.floor(ts / bucket) * bucket;
    const a = out.get(b);
    if (a === undefined) out.set(b, { count: 1, sum: v, min: v, max: v });
    else Object.assign(a, { count: a.count + 1, sum: a.sum + v, min: Math.min(a.min, v), max: Math.max(a.max, v) });
  });
  return out;
}

function compare(kind: string, from: number, to: number, step: number, exactSum: boolean): void {
  const want = rawAgg(truth.get(kind) as Truth, from, to, step);
  const got = seriesBuckets(store, id(kind), from, to, step, now()).buckets;
  expect(got.map((b) => b.start)).toEqual([...want.keys()].sort((a, b) => a - b));
  for (const b of got) {
    const w = want.get(b.start) as { count: number; sum: number; min: number; max: number };
    expect([b.count, b.min, b.max]).toEqual([w.count, w.min, w.max]);
    if (exactSum) expect(b.sum).toBe(w.sum);
    else expect(Math.abs(b.sum - w.sum)).toBeLessThanOrEqual(1e-9 * Math.abs(w.sum));
  }
}

describe('rollup tiers', () => {
  it('equal the raw aggregates at each tier, with late points, before and after flushes', () => {
    store.flush();
    for (const [step, from, to] of [[10_000, T0, T0 + 3 * H], [60_000, T0 + 1234, T0 + 2 * H + 777], [H, T0, T0 + 3 * H], [300_000, T0 + 59_999, T0 + 3 * H - 1]] as const) {
      compare('util', from, to, step, true);
      compare('ttft', from, to, step, false);
    }
  });

  it('build partial buckets at the range ends from whole 10 s buckets and raw points around them', () => {
    // Ends inside a 10 s bucket, on one, and inside a minute, over data with late points.
    for (const [from, to] of [[T0 + 3, T0 + 3 * H - 4], [T0 + 10_000, T0 + 2 * H + 30_000 - 1], [T0 + 47 * 60_000 + 12_345, T0 + 3 * H + 5 * 60_000 + 6_789]] as const) {
      for (const step of [60_000, 300_000, H]) {
        compare('util', from, to, step, true);
        compare('temp', from, to, step, false);
      }
    }
  });

  it('keep the head in the answer: points not yet flushed are counted once', () => {
    const s = store.storeBatch('a', 's', 1_000_000, [{ name: 'm', labels: { kind: 'util' }, ts: Float64Array.of(T0 + 3 * H + 500), values: Float64Array.of(0.5) }], [], now());
    expect(s).toBe('stored');
    (truth.get('util') as Truth).ts.push(T0 + 3 * H + 500);
    (truth.get('util') as Truth).values.push(0.5);
    compare('util', T0, T0 + 4 * H, 60_000, true);
    store.flush(true);
    compare('util', T0, T0 + 4 * H, 60_000, true);
  });
});

describe('quantile sketches', () => {
  for (const kind of Object.keys(KINDS)) {
    it(`answer p50/p90/p95/p99 of ${kind} within 1 % rank error over hours, minutes and raw edges`, () => {
      const t = truth.get(kind) as Truth;
      for (const [from, to] of [[T0 + 1_111, T0 + 3 * H - 2_222], [T0 + 20 * 60_000 + 5, T0 + 80 * 60_000]] as const) {
        const inRange = t.values.filter((_, i) => (t.ts[i] as number) >= from && (t.ts[i] as number) < to).sort((a, b) => a - b);
        const sketch = store.sketch(id(kind), from, to);
        expect(sketch.count).toBe(inRange.length);
        for (const q of [0.5, 0.9, 0.95, 0.99]) expect(rankError(inRange, q, sketch.quantile(q)), `${kind} q=${q}`).toBeLessThanOrEqual(0.01);
      }
    });
  }

  it('merge negative values too (DDSketch 2.1.1 alone drops them when merging)', () => {
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const all: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = gauss() * 10;
      (i % 2 === 0 ? a : b).add(x);
      all.push(x);
    }
    a.merge(QuantileSketch.decode(b.encode()));
    all.sort((x, y) => x - y);
    for (const q of [0.05, 0.5, 0.95]) expect(rankError(all, q, a.quantile(q))).toBeLessThanOrEqual(0.01);
  });
});
