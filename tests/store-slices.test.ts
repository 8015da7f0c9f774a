/**
 * The flush and the period rollup work in slices of series, one transaction each, with the
 * event loop free between them. A crash between two slices must lose nothing and duplicate
 * nothing, reads between slices must answer as if the work were done at once, and a slice must
 * keep to its bounds.
 */
import { describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { aggregate } from '../collector/src/store/rollups/rollup-tiers.ts';
import type { TierName } from '../collector/src/store/rollups/rollup-tiers.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const MIN = 60_000;
const HOSTS = 12;
const freshDir = scratchDirs('store-slices-');

const batch = (ts: number, k: number, h: number): BatchSeries[] => [
  { name: 'system.cpu.utilization', labels: {}, ts: Float64Array.of(ts), values: Float64Array.of(((k * 7 + h) % 101) / 100) },
  { name: 'hw.gpu.temperature', labels: { 'hw.id': '0' }, ts: Float64Array.of(ts), values: Float64Array.of(60 + ((k + h) % 9)) },
];

function stored(store: ChunkedStore): string[] {
  const out: string[] = [];
  for (const name of store.metricNames()) {
    for (const s of store.findSeries(name, () => true, 1_000).series) {
      const p = store.raw(s.id, 0, Number.MAX_SAFE_INTEGER);
      for (let i = 0; i < p.ts.length; i++) out.push(`${s.agent}/${name}@${p.ts[i]}=${p.values[i]}`);
    }
  }
  return out.sort();
}

function seriesIds(store: ChunkedStore): number[] {
  return store.metricNames().flatMap((name) => store.findSeries(name, () => true, 1_000).series.map((s) => s.id)).sort((a, b) => a - b);
}

/** `seconds` ticks at 1 Hz from `from` for every host; one batch per host and tick. */
function fill(store: ChunkedStore, from: number, seconds: number, seqs: number[], want: string[], now: number): void {
  for (let k = 0; k < seconds; k++) {
    for (let h = 0; h < HOSTS; h++) {
      const b = batch(from + k * 1_000, k, h);
      seqs[h] = (seqs[h] ?? 0) + 1;
      store.storeBatch(`host-${h}`, 'main', seqs[h] as number, b, [], now);
      for (const s of b) want.push(`host-${h}/${s.name}@${s.ts[0]}=${s.values[0]}`);
    }
  }
}

/** Every tier and the sketch of every series agree with its raw points (small integers and 0.01 steps: sums exact). */
function expectRollupsMatchRaw(store: ChunkedStore, from: number, to: number): void {
  for (const id of seriesIds(store)) {
    const p = store.raw(id, from, to - 1);
    for (const [tier, ms] of [['10s', 10_000], ['1m', MIN], ['5m', 5 * MIN], ['1h', 60 * MIN]] as [TierName, number][]) {
      const got = store.buckets(id, tier, from, to).map((a) => [a.start, a.count, Math.round(a.sum * 100), a.min, a.max]);
      const want = aggregate(p.ts, p.values, ms).map((a) => [a.start, a.count, Math.round(a.sum * 100), a.min, a.max]);
      expect(got, `series ${id}, tier ${tier}`).toEqual(want);
    }
    const sketch = store.sketch(id, from, to);
    expect(sketch.count, `series ${id}, sketch`).toBe(p.ts.length);
  }
}

describe('sliced flush', () => {
  it('keeps each slice within its bounds and loses or duplicates nothing when a crash falls between slices', () => {
    const dir = freshDir();
    let now = T0;
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    const want: string[] = [];
    const seqs: number[] = [];
    // Two minutes and a bit: the first two minutes close, the third stays open.
    fill(store, T0, 130, seqs, want, now);
    now = T0 + 130_000;
    const bounds = { maxPoints: 1_000_000, maxSeries: 5 };
    const first = store.flushSlice(bounds);
    const second = store.flushSlice(bounds);
    expect(first.done || second.done).toBe(false);
    expect([first.series, second.series]).toEqual([5, 5]);
    expect(first.points).toBe(5 * 120);
    // Between slices: reads see every point once, and so does the audit of the file.
    expect(stored(store)).toEqual(want.sort());
    expect(store.duplicateRowCount()).toBe(0);
    // A point-bounded slice takes whole series up to the bound.
    const third = store.flushSlice({ maxPoints: 250, maxSeries: 100 });
    expect(third.series).toBe(2);
    expect(third.points).toBe(240);
    // kill -9 between slices: the file closes without the shutdown flush.
    store.database.close();

    const again = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(stored(again)).toEqual(want);
    expect(again.duplicateRowCount()).toBe(0);
    // The interrupted cut was finished at start: only the open minute stays in the head.
    expect(again.headSize).toBe(HOSTS * 2 * 10);
    fill(again, T0 + 130_000, 10, seqs, want, now);
    now = T0 + 3_600_000;
    again.flush();
    expect(again.headSize).toBe(0);
    expect(stored(again)).toEqual(want.sort());
    expect(again.duplicateRowCount()).toBe(0);
    again.database.close();
    const third2 = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(third2.headSize).toBe(0);
    expect(stored(third2)).toEqual(want);
    third2.close();
  });
});

describe('sliced period rollup', () => {
  it('answers like the raw points between slices and after a crash between them, late points included', () => {
    const dir = freshDir();
    let now = T0;
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    const want: string[] = [];
    const seqs: number[] = [];
    // 50 minutes then 10 more: the rollup of 12:50 completes the hour (1h sketches).
    fill(store, T0, 3_600, seqs, want, now);
    now = T0 + 3_600_000;
    store.flush(true);
    now = T0 + 3_080_000; // 12:51:20: the periods 12:00 … 12:40 are finished, 12:50 is not
    expect(store.rollHours()).toBe(5);
    now = T0 + 3_800_000;
    const bounds = { maxPoints: 1_000_000, maxSeries: 7 };
    const a = store.rollSlice(bounds);
    expect(a.done).toBe(false);
    expect(a.series).toBe(7);
    expect(a.points).toBe(7 * 600);
    expectRollupsMatchRaw(store, T0, T0 + 3_600_000);
    // Late points of the period in progress, for a rolled series (host 0) and one not yet rolled (host 11).
    for (const h of [0, 11]) {
      const b = batch(T0 + 3_000_000 + 500, 1, h);
      seqs[h] = (seqs[h] ?? 0) + 1;
      store.storeBatch(`host-${h}`, 'main', seqs[h] as number, b, [], now);
      for (const s of b) want.push(`host-${h}/${s.name}@${s.ts[0]}=${s.values[0]}`);
    }
    store.flush(true);
    expectRollupsMatchRaw(store, T0, T0 + 3_600_000);
    const b = store.rollSlice({ maxPoints: 1_000, maxSeries: 100 });
    expect(b.series).toBe(2); // stops once it holds 1,000 points: two series of 600
    // kill -9 between slices.
    store.database.close();

    const again = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expectRollupsMatchRaw(again, T0, T0 + 3_600_000);
    expect(again.rollHours()).toBe(1);
    expectRollupsMatchRaw(again, T0, T0 + 3_600_000);
    expect(stored(again)).toEqual(want.sort());
    expect(again.duplicateRowCount()).toBe(0);
    again.close();
  });
});
