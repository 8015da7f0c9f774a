/**
 * Step buckets of one series over [from, to] (both inclusive, like raw reads): each bucket
 * [b, b + step) with b = floor(ts / step) · step gets count/sum/min/max of the finite values in it.
 *
 *   from      a                                   z        to
 *    |~raw~~~|== tier buckets wholly inside ======|~~raw~~~|
 *
 * The coarsest tier whose bucket divides the step answers the middle; raw points the edges (or,
 * where raw is past retention, the whole tier bucket). Exactly the raw aggregates while raw is kept.
 * (Finer tiers for the edges cost more block reads than the few raw minutes they save.)
 */
import type { Agg, TierName } from '../store/rollup-tiers.ts';
import { aggregate, coarsen, mergeAggLists, TIERS } from '../store/rollup-tiers.ts';
import type { TimeSeriesReader } from '../store/store.ts';

/** The tier a step can be built from, or 'raw' when none divides it. */
export function tierForStep(stepMs: number): TierName | 'raw' {
  let best: TierName | 'raw' = 'raw';
  for (const t of TIERS) if (stepMs >= t.bucketMs && stepMs % t.bucketMs === 0) best = t.name;
  return best;
}

/** Buckets of `stepMs` in ascending order, empty ones left out. `now` decides what raw is kept. */
export function seriesBuckets(reader: TimeSeriesReader, seriesId: number, from: number, to: number, stepMs: number, now: number): { buckets: Agg[]; tier: TierName | 'raw' } {
  const tierName = tierForStep(stepMs);
  const rawFrom = Math.max(from, reader.rawKeptSince(now));
  if (tierName === 'raw') {
    const p = reader.raw(seriesId, from, to);
    return { buckets: aggregate(p.ts, p.values, stepMs), tier: 'raw' };
  }
  const tb = (TIERS.find((t) => t.name === tierName) as (typeof TIERS)[number]).bucketMs;
  const end = Math.floor(to) + 1; // exclusive, integer ms
  let a = Math.ceil(from / tb) * tb;
  const z = Math.max(a, Math.floor(end / tb) * tb);
  if (from < rawFrom) a = Math.floor(from / tb) * tb;
  const parts: Agg[] = reader.buckets(seriesId, tierName, a, z);
  const edges: Agg[] = [];
  const addRaw = (x: number, y: number): void => {
    if (y < x) return;
    const p = reader.raw(seriesId, x, y);
    edges.push(...aggregate(p.ts, p.values, tb));
  };
  if (from >= rawFrom && a > from) addRaw(from, a - 1); // timestamps are integer ms (protocol)
  if (z < end) addRaw(z, to);
  const fine = edges.length === 0 ? parts : mergeAggLists(parts, edges);
  if (stepMs === tb) return { buckets: fine, tier: tierName };
  return { buckets: coarsen(fine, stepMs), tier: tierName };
}

/** The value an aggregation reads off a bucket. */
export type BucketAgg = 'avg' | 'min' | 'max' | 'sum' | 'count';

export function bucketValue(a: Agg, agg: BucketAgg): number {
  return agg === 'avg' ? a.sum / a.count : agg === 'min' ? a.min : agg === 'max' ? a.max : agg === 'sum' ? a.sum : a.count;
}
