/**
 * Reads across the period rollup's watermark W: blocks and sketch rows below it, the cached
 * aggregates and minute sketches of unrolled chunks above it, and the head. The answers equal the
 * raw data's before and after further flushes (which keep the cache current), after W moves (the
 * cache drops what was rolled) and after flushes that follow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesBuckets } from '../collector/src/query/series-buckets.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.UTC(2025, 0, 1);
const dir = mkdtempSync(join(tmpdir(), 'store-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let clock = T0;
const store = new ChunkedStore(openDatabase(dir).db, { clock: () => clock });
const truth = { ts: [] as number[], values: [] as number[] };
let seq = 0;
let k = 7;

/** `minutes` of 2 Hz points from `start`, one batch a minute, values in 1/256 steps (ties). */
function send(start: number, minutes: number): void {
  for (let m = 0; m < minutes; m++) {
    const ts = Float64Array.from({ length: 120 }, (_, i) => start + m * MIN + i * 500);
    const values = Float64Array.from(ts, () => ((k = (k * 1103515245 + 12345) % 2147483648) % 257) / 256);
    store.storeBatch('a', 's', ++seq, [{ name: 'm', labels: {}, ts, values }], [], clock);
    truth.ts.push(...ts);
    truth.values.push(...values);
  }
}

function checkBuckets(from: number, to: number, step: number): void {
  const want = new Map<number, [number, number, number]>();
  truth.ts.forEach((t, i) => {
    if (t < from || t > to) return;
    const v = truth.values[i] as number;
    const b = Math.floor(t / step) * step;
    const a = want.get(b);
    want.set(b, a === undefined ? [1, v, v] : [a[0] + 1, Math.min(a[1], v), Math.max(a[2], v)]);
  });
  const got = seriesBuckets(store, 1, from, to, step, clock).buckets;
  expect(got.map((b) => [b.start, b.count, b.min, b.max])).toEqual([...want.entries()].sort((x, y) => x[0] - y[0]).map(([s, a]) => [s, ...a]));
}

function checkSketch(from: number, to: number): void {
  const inRange = truth.values.filter((_, i) => (truth.ts[i] as number) >= from && (truth.ts[i] as number) < to).sort((a, b) => a - b);
  const s = store.sketch(1, from, to);
  expect(s.count).toBe(inRange.length);
  for (const q of [0.5, 0.9, 0.95, 0.99]) {
    const v = s.quantile(q);
    const lo = inRange.filter((x) => x < v).length / inRange.length;
    const hi = inRange.filter((x) => x <= v).length / inRange.length;
    expect(q < lo ? lo - q : q > hi ? q - hi : 0).toBeLessThanOrEqual(0.01);
  }
}

function checkAll(): void {
  for (const step of [10_000, MIN, 5 * MIN, H]) checkBuckets(T0 + 1234, clock, step);
  checkSketch(T0 + 17_000, clock - 3_000);
  checkSketch(T0 + H + 90_000, clock);
}

describe('reads across the rollup watermark', () => {
  it('agree with the raw data with unrolled chunks, after more flushes, and after the rollup moves on', () => {
    send(T0, 95);
    clock = T0 + 95 * MIN + 20_000;
    store.flush();
    store.rollHours(); // rolls through T0 + 90 min: 5 minutes of chunks stay unrolled
    send(T0 + 95 * MIN, 1); // in the head only
    checkAll();
    clock = T0 + 100 * MIN;
    send(T0 + 96 * MIN, 4);
    store.flush(); // the cache hears of the new chunks
    send(T0 + 12 * MIN + 250, 1); // late: merged into blocks and rolled sketches by the flush
    store.flush();
    checkAll();
    clock = T0 + 102 * MIN;
    store.rollHours(); // W moves: the cache keeps what lies after the new W
    checkAll();
    send(T0 + 100 * MIN, 3);
    clock = T0 + 103 * MIN + 20_000;
    store.flush(); // the trimmed cache hears of the new chunks
    checkAll();
    store.close();
  });
});
