/**
 * Percentiles of skewed data in 0.01 steps (GPU utilization: 101 distinct values, most of them
 * near idle) stay within 1 % rank error of the raw points, over whole hours, whole minutes, raw
 * edges, the unrolled tail and the head, for one series and for groups of series. Heavily tied
 * data is where a DDSketch misses (it answers a bin's midpoint, which ranks below a whole tie).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupedPercentiles, quantileName } from '../collector/src/query/percentiles.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { QuantileSketch } from '../collector/src/store/rollups/quantile-sketch.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { rankError } from './support/rank-error.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.UTC(2025, 0, 1);
const QS = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];
const dir = mkdtempSync(join(tmpdir(), 'store-percentile-steps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seed = 11;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed + 0.5) / 2147483648;
};
/** Mostly idle (0.00–0.10, heavily tied), now and then busy up to 1.00: every 0.01 step occurs. */
const utilization = (): number => Math.round(100 * (rnd() < 0.85 ? 0.1 * rnd() ** 2 : rnd())) / 100;

let clock = T0;
const store = new ChunkedStore(openDatabase(dir).db, { clock: () => clock });
const HOSTS = 4;
const truth = Array.from({ length: HOSTS }, () => ({ ts: [] as number[], values: [] as number[] }));
let seq = 0;
// 3 h 20 min of 2 Hz points per host, one batch a minute, flushed and rolled as the jobs would.
for (let m = 0; m < 200; m++) {
  for (let h = 0; h < HOSTS; h++) {
    const ts = Float64Array.from({ length: 120 }, (_, i) => T0 + m * MIN + i * 500);
    const values = Float64Array.from(ts, utilization);
    store.storeBatch(`gpu-${h}`, 's', ++seq, [{ name: 'u', labels: {}, ts, values }], [], clock);
    truth[h]?.ts.push(...ts);
    truth[h]?.values.push(...values);
  }
  clock = T0 + (m + 1) * MIN;
  store.flush();
  if (m % 10 === 9) store.rollHours();
}
// The last minutes stay in the head (not flushed), the ones before it in unrolled chunks.
const series = store.findSeries('u', () => true, 10).series;
const idOf = (h: number): number => (series.find((s) => s.agent === `gpu-${h}`) as { id: number }).id;

function inRange(hosts: readonly number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (const h of hosts) {
    const t = truth[h] as { ts: number[]; values: number[] };
    t.ts.forEach((ts, i) => {
      if (ts >= from && ts < to) out.push(t.values[i] as number);
    });
  }
  return out.sort((a, b) => a - b);
}

const WINDOWS: readonly [string, number, number][] = [
  ['whole hours with raw edges', T0 + 1_234, T0 + 3 * H - 5_678],
  ['minutes across an hour boundary', T0 + 37 * MIN + 250, T0 + 97 * MIN],
  ['the last hour: rolled minutes, unrolled chunks, the head', T0 + 200 * MIN - H - 17_000, T0 + 200 * MIN + 1],
];

describe('percentiles of skewed 0.01-step data', () => {
  it('has about 101 distinct values, heavily tied', () => {
    const all = inRange([0], T0, T0 + 200 * MIN);
    expect(new Set(all).size).toBeGreaterThanOrEqual(95);
    expect(all.filter((v) => v === 0).length / all.length).toBeGreaterThan(0.1);
  });

  for (const [name, from, to] of WINDOWS) {
    it(`one series is within 1 % rank error (${name})`, () => {
      const want = inRange([0], from, to);
      const s = store.sketch(idOf(0), from, to);
      expect(s.count).toBe(want.length);
      for (const q of QS) expect(rankError(want, q, s.quantile(q)), `q=${q}`).toBeLessThanOrEqual(0.01);
    });

    it(`a group of series is within 1 % rank error (${name})`, () => {
      const want = inRange([0, 1, 2, 3], from, to);
      const [row] = groupedPercentiles(store, series, [], QS, from, to);
      expect(row?.count).toBe(want.length);
      expect([row?.min, row?.max]).toEqual([want[0], want[want.length - 1]]);
      for (const q of QS) {
        const v = row?.quantiles[quantileName(q)] as number;
        expect(rankError(want, q, v), `q=${q}`).toBeLessThanOrEqual(0.01);
      }
    });
  }

  it('keeps an hour of such data exact in the stored sketch, and its bytes small', () => {
    const s = new QuantileSketch();
    const values = Float64Array.from({ length: 7200 }, utilization);
    s.addAll(values);
    const bytes = s.encode();
    expect(bytes[0]).toBe(2);
    expect(bytes.length).toBeLessThan(400);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of QS) expect(rankError(sorted, q, s.quantile(q))).toBe(0);
  });
});
