/**
 * The rollup tiers and their count/sum/min/max buckets, packed per block so that a long range
 * reads few rows:
 *
 *   tier  bucket   block (one row)   retention (policy)      sketches
 *   10s   10 s     10 min (60)       tier10s (as raw)        -
 *   1m    1 min    1 h    (60)       tier1m                  one per minute (sketch_1m)
 *   5m    5 min    1 day  (288)      tier1m                  -
 *   1h    1 h      1 day  (24)       tier1h                  one per hour (sketch_1h)
 *
 * Blocks are written by the period rollup (period-rollup.ts) once a 10-minute period is over, and
 * merged into by the chunk writer only for late points of periods already rolled.
 * Aggregates cover finite values only (NaN and ±Inf are kept in raw chunks, not in rollups).
 */
import { ByteReader, ByteWriter, CorruptBytes } from '../chunks/byte-stream.ts';
import { decodeFloats, encodeFloats } from '../chunks/float-column.ts';

export type TierName = '10s' | '1m' | '5m' | '1h';

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
  { name: '5m', bucketMs: 300_000, blockMs: 86_400_000, table: 'rollup_5m', sketchTable: null },
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

/**
 * Aggregates points [start, end) into buckets of `bucketMs`, in ascending bucket order. Sorted
 * input (the usual case) takes one pass without a map.
 */
export function aggregate(ts: Float64Array, values: Float64Array, bucketMs: number, start = 0, end = ts.length): Agg[] {
  const out: Agg[] = [];
  let cur: Agg | null = null;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const b = Math.floor((ts[i] as number) / bucketMs) * bucketMs;
    if (cur !== null && b === cur.start) {
      cur.count++;
      cur.sum += v;
      if (v < cur.min) cur.min = v;
      if (v > cur.max) cur.max = v;
      continue;
    }
    if (cur !== null && b < cur.start) return aggregateUnsorted(ts, values, bucketMs, start, end);
    cur = { start: b, count: 1, sum: v, min: v, max: v };
    out.push(cur);
  }
  return out;
}

function aggregateUnsorted(ts: Float64Array, values: Float64Array, bucketMs: number, start: number, end: number): Agg[] {
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

/** Re-buckets ascending aggregates into coarser buckets of `bucketMs` (a multiple of theirs). */
export function coarsen(aggs: readonly Agg[], bucketMs: number): Agg[] {
  const out: Agg[] = [];
  let cur: Agg | null = null;
  for (const a of aggs) {
    const b = Math.floor(a.start / bucketMs) * bucketMs;
    if (cur !== null && cur.start === b) mergeAgg(cur, a);
    else out.push((cur = { start: b, count: a.count, sum: a.sum, min: a.min, max: a.max }));
  }
  return out;
}

/** Marks the columnar block layout; the first layout began with a bucket count below 0x80. */
const COLUMNAR = 0xff;

/**
 * Block bytes (columnar): 0xFF, n, slot deltas (uvarint × n), counts (uvarint × n), then the sums,
 * the minima and the maxima as float columns (float-column.ts: decimal data stays small).
 */
export function encodeBlock(blockStart: number, bucketMs: number, aggs: readonly Agg[]): Uint8Array {
  return encodeBlockColumns(blockStart, bucketMs, toColumns(aggs));
}

/** encodeBlock from columns (ascending starts, all inside the block). */
export function encodeBlockColumns(blockStart: number, bucketMs: number, c: AggColumns): Uint8Array {
  const n = c.n;
  const w = new ByteWriter(16 + n * 8);
  w.byte(COLUMNAR);
  w.uvarint(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const slot = ((c.start[i] as number) - blockStart) / bucketMs;
    w.uvarint(slot - prev);
    prev = slot;
  }
  for (let i = 0; i < n; i++) w.uvarint(c.count[i] as number);
  encodeFloats(w, c.sum, 0, n);
  encodeFloats(w, c.min, 0, n);
  encodeFloats(w, c.max, 0, n);
  return w.finish();
}

/** Ascending aggregates as columns. */
export function toColumns(aggs: readonly Agg[]): AggColumns {
  const n = aggs.length;
  const c: AggColumns = { n, start: new Float64Array(n), count: new Float64Array(n), sum: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const a = aggs[i] as Agg;
    c.start[i] = a.start;
    c.count[i] = a.count;
    c.sum[i] = a.sum;
    c.min[i] = a.min;
    c.max[i] = a.max;
  }
  return c;
}

/**
 * Merges ascending columns `add` into ascending columns `base`. When every added bucket comes after
 * the base's last one (the period rollup's usual case) the columns are appended without objects.
 */
export function mergeColumns(base: AggColumns, add: AggColumns): AggColumns {
  if (base.n === 0) return add;
  if (add.n > 0 && (add.start[0] as number) > (base.start[base.n - 1] as number)) {
    const n = base.n + add.n;
    const cat = (x: Float64Array, y: Float64Array): Float64Array => {
      const out = new Float64Array(n);
      out.set(x.subarray(0, base.n));
      out.set(y.subarray(0, add.n), base.n);
      return out;
    };
    return { n, start: cat(base.start, add.start), count: cat(base.count, add.count), sum: cat(base.sum, add.sum), min: cat(base.min, add.min), max: cat(base.max, add.max) };
  }
  return toColumns(mergeAggLists(fromColumns(base), fromColumns(add)));
}

function fromColumns(c: AggColumns): Agg[] {
  const out: Agg[] = new Array(c.n);
  for (let i = 0; i < c.n; i++) out[i] = { start: c.start[i] as number, count: c.count[i] as number, sum: c.sum[i] as number, min: c.min[i] as number, max: c.max[i] as number };
  return out;
}

/** A block's buckets as columns, ascending by start. */
export interface AggColumns {
  readonly n: number;
  readonly start: Float64Array;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** Reads a block of either layout into columns. Throws CorruptBytes on malformed bytes. */
export function decodeBlockColumns(bytes: Uint8Array, blockStart: number, bucketMs: number): AggColumns {
  const r = new ByteReader(bytes);
  const columnar = bytes[0] === COLUMNAR;
  if (columnar) r.byte();
  const n = r.uvarint();
  if (n > bytes.length) throw new CorruptBytes('block count larger than its bytes allow');
  const c: AggColumns = { n, start: new Float64Array(n), count: new Float64Array(n), sum: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
  let slot = 0;
  if (!columnar) {
    for (let i = 0; i < n; i++) {
      slot += r.uvarint();
      c.start[i] = blockStart + slot * bucketMs;
      c.count[i] = r.uvarint();
      c.sum[i] = r.f64();
      c.min[i] = r.f64();
      c.max[i] = r.f64();
    }
    return c;
  }
  // Slot deltas and counts are mostly one-byte varints: read those from the buffer directly.
  const buf = r.buf;
  for (let i = 0; i < n; i++) {
    const b = r.pos < buf.length ? (buf[r.pos] as number) : 0x80;
    if (b < 0x80) r.pos++;
    slot += b < 0x80 ? b : r.uvarint();
    c.start[i] = blockStart + slot * bucketMs;
  }
  for (let i = 0; i < n; i++) {
    const b = r.pos < buf.length ? (buf[r.pos] as number) : 0x80;
    if (b < 0x80) r.pos++;
    c.count[i] = b < 0x80 ? b : r.uvarint();
  }
  decodeFloats(r, n, c.sum);
  decodeFloats(r, n, c.min);
  decodeFloats(r, n, c.max);
  return c;
}

/** Reads a block of either layout as Agg objects, ascending. Throws CorruptBytes on malformed bytes. */
export function decodeBlock(bytes: Uint8Array, blockStart: number, bucketMs: number): Agg[] {
  return fromColumns(decodeBlockColumns(bytes, blockStart, bucketMs));
}

/** Merges `add` into the (ascending) `base` list; returns the merged ascending list (inputs unchanged). */
export function mergeAggLists(base: readonly Agg[], add: readonly Agg[]): Agg[] {
  const out: Agg[] = [];
  let i = 0;
  let j = 0;
  let sorted = true;
  for (let k = 1; k < add.length && sorted; k++) sorted = (add[k] as Agg).start > (add[k - 1] as Agg).start;
  for (let k = 1; k < base.length && sorted; k++) sorted = (base[k] as Agg).start > (base[k - 1] as Agg).start;
  if (!sorted) return mergeUnsorted(base, add);
  while (i < base.length || j < add.length) {
    const a = base[i];
    const b = add[j];
    if (b === undefined || (a !== undefined && a.start < b.start)) {
      out.push(copyAgg(a as Agg));
      i++;
    } else if (a === undefined || b.start < a.start) {
      out.push(copyAgg(b));
      j++;
    } else {
      const m = copyAgg(a);
      mergeAgg(m, b);
      out.push(m);
      i++;
      j++;
    }
  }
  return out;
}

/**
 * Merges ascending `add` into ascending `base` like mergeAggLists, but reuses their objects (and
 * may change base's last one): for a caller that built both lists (aggregate, coarsen and the
 * readers return them ascending) and keeps only the result. When `add` starts at or after the end
 * of `base` (adjacent parts of a range, the usual case) the lists are joined without copies.
 */
export function joinAggLists(base: Agg[], add: Agg[]): Agg[] {
  if (add.length === 0) return base;
  if (base.length === 0) return add;
  const last = base[base.length - 1] as Agg;
  const first = add[0] as Agg;
  if (first.start < last.start) return mergeAggLists(base, add);
  if (first.start > last.start) return base.concat(add);
  mergeAgg(last, first);
  return add.length === 1 ? base : base.concat(add.slice(1));
}

function copyAgg(a: Agg): Agg {
  return { start: a.start, count: a.count, sum: a.sum, min: a.min, max: a.max };
}

function mergeUnsorted(base: readonly Agg[], add: readonly Agg[]): Agg[] {
  const byStart = new Map<number, Agg>();
  for (const a of base) byStart.set(a.start, copyAgg(a));
  for (const a of add) {
    const cur = byStart.get(a.start);
    if (cur === undefined) byStart.set(a.start, copyAgg(a));
    else mergeAgg(cur, a);
  }
  return [...byStart.values()].sort((x, y) => x.start - y.start);
}
