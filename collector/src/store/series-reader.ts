/**
 * The read side of the chunked store: raw points from chunks plus the head; tier buckets from
 * rollup blocks below the period rollup's watermark W and from chunks (decoded, aggregated) and
 * the head above it; quantile sketches from whole hours (1h) and whole minutes (1m) below W and
 * raw points elsewhere. Blocks, chunks at or after W and the head never overlap (period-rollup.ts),
 * so nothing is counted twice.
 */
import type { Statement } from 'better-sqlite3';
import { decodeChunk } from './chunks/chunk-codec.ts';
import type { Head } from './head/head.ts';
import { WINDOW_MS } from './head/head.ts';
import { QuantileSketch } from './rollups/quantile-sketch.ts';
import type { RetentionPolicy } from './retention/retention-policy.ts';
import { BlockRows } from './rollups/block-rows.ts';
import { aggregate, coarsen, joinAggLists, tier } from './rollups/rollup-tiers.ts';
import type { Agg, TierName } from './rollups/rollup-tiers.ts';
import type { SeriesRegistry } from './series-registry.ts';
import { SketchRows } from './rollups/sketch-rows.ts';
import type { SqliteDb } from './schema/sqlite-db.ts';
import type { Points, SeriesRef, TimeSeriesReader } from './store.ts';
import { addMinute, TAIL_BUCKET_MS, tailAggregatesOf } from './rollups/tail-aggregates.ts';
import type { MinuteSketches, TailAggregates } from './rollups/tail-aggregates.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export class SeriesReader implements TimeSeriesReader {
  private readonly head: Head;
  private readonly registry: SeriesRegistry;
  private readonly retention: RetentionPolicy;
  private readonly rolledThrough: (seriesId: number) => number;
  private readonly chunksIn: Statement;
  private readonly lastChunk: Statement;
  private readonly blocks: BlockRows;
  private readonly tail: TailAggregates;
  private readonly sketch1m: SketchRows;
  private readonly sketch1h: SketchRows;

  /** `rolledThrough` is the period rollup's watermark W of a series (it moves series by series while a period is rolled). */
  constructor(db: SqliteDb, head: Head, registry: SeriesRegistry, retention: RetentionPolicy, rolledThrough: (seriesId: number) => number) {
    this.head = head;
    this.registry = registry;
    this.retention = retention;
    this.rolledThrough = rolledThrough;
    this.chunksIn = db.prepare('select data from chunks where series_id = ? and t_min >= ? and t_min <= ? and t_max >= ? order by t_min').pluck();
    this.lastChunk = db.prepare('select data from chunks where series_id = ? order by t_min desc limit 4').pluck();
    this.blocks = new BlockRows(db);
    this.tail = tailAggregatesOf(db);
    this.sketch1m = new SketchRows(db, 'sketch_1m');
    this.sketch1h = new SketchRows(db, 'sketch_1h');
  }

  findSeries(name: string, accept: (s: SeriesRef) => boolean, limit: number): { series: SeriesRef[]; truncated: boolean } {
    const out: SeriesRef[] = [];
    for (const s of this.registry.named(name)) {
      if (!accept(s)) continue;
      if (out.length === limit) return { series: out, truncated: true };
      out.push(s);
    }
    return { series: out, truncated: false };
  }

  metricNames(): string[] {
    return this.registry.names();
  }

  raw(seriesId: number, from: number, to: number): Points {
    const parts = this.chunkParts(seriesId, from, to);
    parts.push(this.head.range(seriesId, from, to));
    return mergeSorted(parts, from, to);
  }

  /** Decoded chunks that may hold points with from ≤ ts ≤ to (not filtered). */
  private chunkParts(seriesId: number, from: number, to: number): Points[] {
    // A chunk spans at most one window, so its t_min is at least its t_max − WINDOW_MS.
    return (this.chunksIn.all(seriesId, from - WINDOW_MS, to, from) as Uint8Array[]).map(decodeChunk);
  }

  buckets(seriesId: number, tierName: TierName, from: number, to: number): Agg[] {
    const t = tier(tierName);
    const w = this.rolledThrough(seriesId);
    let out: Agg[] = [];
    if (from < w) {
      const end = Math.min(to, w);
      for (const c of this.blocks.read(tierName, seriesId, from, end)) {
        for (let i = 0; i < c.n; i++) {
          const s = c.start[i] as number;
          if (s >= from && s < to) out.push({ start: s, count: c.count[i] as number, sum: c.sum[i] as number, min: c.min[i] as number, max: c.max[i] as number });
        }
      }
    }
    // Chunk points from W on (cached as 10 s buckets; the bucket holding W may start before it),
    // and the head. A cached or head point lands in a bucket starting in [from, to) iff its ts
    // lies in [lo, hi); ranges that end before the bucket holding W skip the cache.
    const lo = Math.ceil(from / t.bucketMs) * t.bucketMs;
    const hi = Math.ceil(to / t.bucketMs) * t.bucketMs;
    if (hi > w - TAIL_BUCKET_MS) {
      const cached = this.tail.get(seriesId, w, () => {
        // Chunk by chunk (ascending minutes; a late chunk of a minute merges into its buckets).
        let a: Agg[] = [];
        for (const data of this.chunksIn.all(seriesId, w - WINDOW_MS, Number.MAX_SAFE_INTEGER, w) as Uint8Array[]) {
          const p = clip(decodeChunk(data), w, Number.MAX_SAFE_INTEGER);
          a = joinAggLists(a, aggregate(p.ts, p.values, TAIL_BUCKET_MS));
        }
        return a;
      });
      const fresh = coarsen(cached.slice(firstAtOrAfter(cached, lo), firstAtOrAfter(cached, hi)), t.bucketMs);
      out = joinAggLists(out, fresh);
    }
    const h = this.head.range(seriesId, lo, hi);
    if (h.ts.length === 0) return out;
    const fromHead = aggregate(h.ts, h.values, t.bucketMs).filter((a) => a.start >= from && a.start < to);
    return joinAggLists(out, fromHead);
  }

  sketch(seriesId: number, from: number, to: number): QuantileSketch {
    const out = new QuantileSketch();
    const w = this.rolledThrough(seriesId);
    const m0 = Math.ceil(from / MINUTE) * MINUTE;
    const m1 = Math.floor(to / MINUTE) * MINUTE;
    const addRaw = (a: number, b: number): void => {
      if (b <= a) return;
      const p = this.raw(seriesId, a, b - 1); // integer ms timestamps
      out.addAll(p.values);
    };
    if (m0 >= m1) {
      addRaw(from, to);
      return out;
    }
    addRaw(from, m0);
    addRaw(m1, to);
    // Whole minutes: rolled ones from the 1h and 1m sketch rows, later ones from the cached
    // sketches of unrolled chunks, and head points (in no sketch) one by one.
    const mr = Math.min(m1, Math.max(m0, w));
    const h0 = Math.ceil(m0 / HOUR) * HOUR;
    const h1 = Math.floor(mr / HOUR) * HOUR;
    if (h0 < h1) {
      this.sketch1h.mergeInto(out, seriesId, h0, h1);
      this.sketch1m.mergeInto(out, seriesId, m0, h0);
      this.sketch1m.mergeInto(out, seriesId, h1, mr);
    } else if (m0 < mr) {
      this.sketch1m.mergeInto(out, seriesId, m0, mr);
    }
    if (mr < m1) {
      const cached = this.tail.sketches(seriesId, w, () => {
        const m: MinuteSketches = new Map();
        // Chunks never straddle W (a minute boundary), so these hold only points at or after it.
        for (const p of this.chunkParts(seriesId, w, Number.MAX_SAFE_INTEGER)) if (p.ts.length > 0 && (p.ts[0] as number) >= w) addMinute(m, Math.floor((p.ts[0] as number) / MINUTE) * MINUTE, p.values);
        return m;
      });
      for (const [minute, list] of cached) if (minute >= mr && minute < m1) for (const bytes of list) out.mergeEncoded(bytes);
    }
    out.addAll(this.head.range(seriesId, m0, m1 - 1).values);
    return out;
  }

  latest(seriesId: number): [number, number] | null {
    let best = this.head.latest(seriesId);
    // Late chunks can carry older points than the newest chunk, so look at a few.
    for (const data of this.lastChunk.all(seriesId) as Uint8Array[]) {
      const p = decodeChunk(data);
      for (let i = 0; i < p.ts.length; i++) if (best === null || (p.ts[i] as number) > best[0]) best = [p.ts[i] as number, p.values[i] as number];
    }
    return best;
  }

  keptSince(resolution: TierName | 'raw', now: number): number {
    const r = this.retention;
    return now - (resolution === 'raw' ? r.rawMs : resolution === '10s' ? r.tier10sMs : resolution === '1h' ? r.tier1hMs : r.tier1mMs);
  }
}

/** The index of the first aggregate of ascending `aggs` with start ≥ t. */
function firstAtOrAfter(aggs: readonly Agg[], t: number): number {
  let lo = 0;
  let hi = aggs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((aggs[mid] as Agg).start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The points of p with from ≤ ts ≤ to. */
function clip(p: Points, from: number, to: number): Points {
  let n = 0;
  for (const t of p.ts) if (t >= from && t <= to) n++;
  if (n === p.ts.length) return p;
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < p.ts.length; i++) {
    const t = p.ts[i] as number;
    if (t < from || t > to) continue;
    ts[k] = t;
    values[k++] = p.values[i] as number;
  }
  return { ts, values };
}

/** Concatenates the parts' points within [from, to] and sorts them by ts when they overlap. */
function mergeSorted(parts: readonly Points[], from: number, to: number): Points {
  const runs = sortedRuns(parts, from, to);
  if (runs !== null) {
    // The usual case: each part ascending and after the previous one; copy whole runs (bits kept).
    let n = 0;
    for (const [, lo, hi] of runs) n += hi - lo;
    const ts = new Float64Array(n);
    const values = new Float64Array(n);
    let k = 0;
    for (const [p, lo, hi] of runs) {
      ts.set(p.ts.subarray(lo, hi), k);
      values.set(p.values.subarray(lo, hi), k);
      k += hi - lo;
    }
    return { ts, values };
  }
  return mergeUnsorted(parts, from, to);
}

/** Per part, the index range with from ≤ ts ≤ to, if every part is ascending and after the previous one; else null. */
function sortedRuns(parts: readonly Points[], from: number, to: number): [Points, number, number][] | null {
  const out: [Points, number, number][] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const p of parts) {
    const t = p.ts;
    let lo = 0;
    while (lo < t.length && (t[lo] as number) < from) lo++;
    let hi = lo;
    for (; hi < t.length && (t[hi] as number) <= to; hi++) if ((t[hi] as number) < last) return null; else last = t[hi] as number;
    for (let i = hi; i < t.length; i++) if ((t[i] as number) <= to) return null;
    for (let i = 0; i < lo; i++) if ((t[i] as number) >= from) return null;
    if (hi > lo) out.push([p, lo, hi]);
  }
  return out;
}

function mergeUnsorted(parts: readonly Points[], from: number, to: number): Points {
  let n = 0;
  for (const p of parts) for (const t of p.ts) if (t >= from && t <= to) n++;
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  const vb = new Uint32Array(values.buffer);
  let k = 0;
  let sorted = true;
  for (const p of parts) {
    const pb = new Uint32Array(p.values.buffer, p.values.byteOffset, p.values.length * 2);
    for (let i = 0; i < p.ts.length; i++) {
      const t = p.ts[i] as number;
      if (t < from || t > to) continue;
      if (k > 0 && t < (ts[k - 1] as number)) sorted = false;
      ts[k] = t;
      vb[2 * k] = pb[2 * i] as number;
      vb[2 * k + 1] = pb[2 * i + 1] as number;
      k++;
    }
  }
  if (sorted) return { ts, values };
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b);
  const ts2 = new Float64Array(n);
  const values2 = new Float64Array(n);
  const vb2 = new Uint32Array(values2.buffer);
  idx.forEach((i, j) => {
    ts2[j] = ts[i] as number;
    vb2[2 * j] = vb[2 * i] as number;
    vb2[2 * j + 1] = vb[2 * i + 1] as number;
  });
  return { ts: ts2, values: values2 };
}
