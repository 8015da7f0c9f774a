/**
 * The rollup tiers and their count/sum/min/max buckets, packed per block so that a long range
 * reads few rows:
 *
 *   tier  bucket   block (one row)   sketch rows        default retention
 *   10s   10 s     10 min (60)       -                  as raw (7 days)
 *   1m    1 min    1 h    (60)       one per minute     90 days
 *   1h    1 h      1 day  (24)       one per hour       2 years
 *
 * Aggregates cover finite values only (NaN and ±Inf are kept in raw chunks, not in rollups).
 */
import { ByteReader, ByteWriter, CorruptBytes } from './byte-stream.ts';

export type TierName = '10s' | '1m' | '1h';

export interface Tier {
  readonly name: TierName;
  readonly bucketMs: number;
  readonly blockMs: number;
  readonly table: string;
  /** Table of per-bucket quantile sketches, or null for tiers without. */
  readonly sketchTable: string | null;
}

/** Finest first. */
export const TIERS: readonly Tier[] = [
  { name: '10s', bucketMs: 10_000, blockMs: 600_000, table: 'rollup_10s', sketchTable: null },
  { name: '1m', bucketMs: 60_000, blockMs: 3_600_000, table: 'rollup_1m', sketchTable: 'sketch_1m' },
  { name: '1h', bucketMs: 3_600_000, blockMs: 86_400_000, table: 'rollup_1h', sketchTable: 'sketch_1h' },
];

/** Looks a tier up by name; throws on an unknown name (a programming error). */
export function tier(name: TierName): Tier {
  const t = TIERS.find((x) => x.name === name);
  if (t === undefined) throw new Error(`unknown tier ${name}`);
  return t;
}

/** One bucket's aggregates. `start` is the bucket's first ms. */
export interface Agg {
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Folds b into a (same bucket). */
export function mergeAgg(a: Agg, b: Agg): void {
  a.count += b.count;
  a.sum += b.sum;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
}

/** Aggregates points [start, end) into buckets of `bucketMs`, in ascending bucket order. */
export function aggregate(ts: Float64Array, values: Float64Array, bucketMs: number, start = 0, end = ts.length): Agg[] {
  const byStart = new Map<number, Agg>();
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const b = Math.floor((ts[i] as number) / bucketMs) * bucketMs;
    const a = byStart.get(b);
    if (a === undefined) byStart.set(b, { start: b, count: 1, sum: v, min: v, max: v });
    else {
      a.count++;
      a.sum += v;
      if (v < a.min) a.min = v;
      if (v > a.max) a.max = v;
    }
  }
  return [...byStart.values()].sort((x, y) => x.start - y.start);
}

/** Block bytes: n, then per bucket slot-delta, count, sum, min, max (sum/min/max as raw f64). */
export function encodeBlock(blockStart: number, bucketMs: number, aggs: readonly Agg[]): Uint8Array {
  const w = new ByteWriter(8 + aggs.length * 28);
  w.uvarint(aggs.length);
  let prev = 0;
  for (const a of aggs) {
    const slot = (a.start - blockStart) / bucketMs;
    w.uvarint(slot - prev);
    prev = slot;
    w.uvarint(a.count);
    w.f64(a.sum);
    w.f64(a.min);
    w.f64(a.max);
  }
  return w.finish();
}

/** Reads a block written by encodeBlock, ascending. Throws CorruptBytes on malformed bytes. */
export function decodeBlock(bytes: Uint8Array, blockStart: number, bucketMs: number): Agg[] {
  const r = new ByteReader(bytes);
  const n = r.uvarint();
  if (n > bytes.length) throw new CorruptBytes('block count larger than its bytes allow');
  const out: Agg[] = [];
  let slot = 0;
  for (let i = 0; i < n; i++) {
    slot += r.uvarint();
    out.push({ start: blockStart + slot * bucketMs, count: r.uvarint(), sum: r.f64(), min: r.f64(), max: r.f64() });
  }
  return out;
}

/** Merges `add` into the (ascending) `base` list; returns the merged ascending list. */
export function mergeAggLists(base: readonly Agg[], add: readonly Agg[]): Agg[] {
  const byStart = new Map<number, Agg>();
  for (const a of base) byStart.set(a.start, { ...a });
  for (const a of add) {
    const cur = byStart.get(a.start);
    if (cur === undefined) byStart.set(a.start, { ...a });
    else mergeAgg(cur, a);
  }
  return [...byStart.values()].sort((x, y) => x.start - y.start);
}
