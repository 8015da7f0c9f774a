/**
 * Step buckets of one series over [from, to] (both inclusive, like raw reads): each bucket
 * [b, b + step) with b = floor(ts / step) · step gets count/sum/min/max of the finite values in it.
 *
 *   from  f10       a                                   z       e10  to
 *    |raw|~~10s~~~~|== tier buckets wholly inside ======|~~10s~~|raw|
 *
 * The coarsest tier whose bucket divides the step answers the middle; the partial tier buckets at
 * the edges are built from the 10 s tier's whole buckets (blocks below the rollup watermark, the
 * cached tail above it) and raw points only for the parts of a 10 s bucket at the very ends, so an
 * edge decodes at most one chunk instead of up to five minutes of them. Where raw is past
 * retention the whole tier bucket answers. Exactly the raw aggregates while raw and the 10 s tier
 * are kept (sums up to the order of addition, as in the tiers).
 */
import type { Agg, TierName } from '../store/rollups/rollup-tiers.ts';
import { aggregate, coarsen, joinAggLists, TIERS } from '../store/rollups/rollup-tiers.ts';
import type { TimeSeriesReader } from '../store/store.ts';

/** The tier a step can be built from, or 'raw' when none divides it. */
export function tierForStep(stepMs: number): TierName | 'raw' {
  let best: TierName | 'raw' = 'raw';
  for (const t of TIERS) if (stepMs >= t.bucketMs && stepMs % t.bucketMs === 0) best = t.name;
  return best;
}

/** The finest tier: the edges of a coarser one are built from its whole buckets. */
const EDGE_MS = 10_000;

/** Buckets of `stepMs` in ascending order, empty ones left out. `now` decides what raw and 10 s buckets are kept. */
export function seriesBuckets(reader: TimeSeriesReader, seriesId: number, from: number, to: number, stepMs: number, now: number): { buckets: Agg[]; tier: TierName | 'raw' } {
  const tierName = tierForStep(stepMs);
  const rawFrom = Math.max(from, reader.keptSince('raw', now));
  if (tierName === 'raw') {
    const p = reader.raw(seriesId, from, to);
    return { buckets: aggregate(p.ts, p.values, stepMs), tier: 'raw' };
  }
  const tb = (TIERS.find((t) => t.name === tierName) as (typeof TIERS)[number]).bucketMs;
  const end = Math.floor(to) + 1; // exclusive, integer ms
  let a = Math.ceil(from / tb) * tb;
  const z = Math.max(a, Math.floor(end / tb) * tb);
  if (from < rawFrom) a = Math.floor(from / tb) * tb;
  // Edges in 10 s buckets only where that tier still holds them (its retention may be shorter).
  const fine = tb > EDGE_MS && from >= reader.keptSince('10s', now);
  let out: Agg[] = reader.buckets(seriesId, tierName, a, z);
  const raw = (x: number, y: number): Agg[] => {
    if (y <= x) return [];
    const p = reader.raw(seriesId, x, y - 1); // timestamps are integer ms (protocol)
    return aggregate(p.ts, p.values, tb);
  };
  /** The tier buckets of [x, y) (a partial one at either end of the range): whole 10 s buckets, raw around them. */
  const edge = (x: number, y: number): Agg[] => {
    const x10 = fine ? Math.min(y, Math.ceil(x / EDGE_MS) * EDGE_MS) : y;
    const y10 = fine ? Math.max(x10, Math.floor(y / EDGE_MS) * EDGE_MS) : y;
    let e = raw(x, x10);
    if (y10 > x10) e = joinAggLists(e, coarsen(reader.buckets(seriesId, '10s', x10, y10), tb));
    return joinAggLists(e, raw(y10, y));
  };
  if (from >= rawFrom && a > from) out = joinAggLists(edge(from, a), out);
  if (z < end) out = joinAggLists(out, edge(z, end));
  if (stepMs === tb) return { buckets: out, tier: tierName };
  return { buckets: coarsen(out, stepMs), tier: tierName };
}

/** The value an aggregation reads off a bucket. */
export type BucketAgg = 'avg' | 'min' | 'max' | 'sum' | 'count';

export function bucketValue(a: Agg, agg: BucketAgg): number {
  return agg === 'avg' ? a.sum / a.count : agg === 'min' ? a.min : agg === 'max' ? a.max : agg === 'sum' ? a.sum : a.count;
}
