/**
 * Series over a range: raw points, or bucket aggregates at a step built from the rollup tiers.
 * `rangeQuery` keeps the contract of `Store.series` (GET /api/v1/series): bucket averages at the
 * asked step, the newest `maxPoints` points per series, at most `maxSeries` series.
 */
import type { Labels } from '@sigmascope/protocol/series';
import type { SeriesQuery, SeriesRef, SeriesResult, TimeSeriesReader } from '../store/store.ts';
import type { TierName } from '../store/rollups/rollup-tiers.ts';
import { bucketValue, seriesBuckets } from './series-buckets.ts';
import type { BucketAgg } from './series-buckets.ts';

/** Store.series on the chunked layout. */
export function rangeQuery(reader: TimeSeriesReader, q: SeriesQuery, now: number = Date.now()): SeriesResult[] {
  const accept = (s: SeriesRef): boolean => (q.agent === undefined || s.agent === q.agent) && labelsInclude(s.labels, q.labels);
  const { series } = reader.findSeries(q.name, accept, q.maxSeries);
  return series.map((s) => ({ agent: s.agent, name: s.name, labels: s.labels, points: seriesPoints(reader, s.id, q.from, q.to, q.stepMs, 'avg', q.maxPoints, now).points }));
}

/** Points of one series: raw when stepMs is undefined, else `agg` per step bucket; newest `maxPoints` kept. */
export function seriesPoints(reader: TimeSeriesReader, id: number, from: number, to: number, stepMs: number | undefined, agg: BucketAgg, maxPoints: number, now: number): { points: [number, number][]; tier: TierName | 'raw'; truncated: boolean } {
  if (stepMs === undefined) {
    const p = reader.raw(id, from, to);
    const start = Math.max(0, p.ts.length - maxPoints);
    const points: [number, number][] = [];
    for (let i = start; i < p.ts.length; i++) points.push([p.ts[i] as number, p.values[i] as number]);
    return { points, tier: 'raw', truncated: start > 0 };
  }
  const { buckets, tier } = seriesBuckets(reader, id, from, to, stepMs, now);
  const start = Math.max(0, buckets.length - maxPoints);
  return { points: buckets.slice(start).map((b) => [b.start, bucketValue(b, agg)]), tier, truncated: start > 0 };
}

function labelsInclude(labels: Labels, want: Labels): boolean {
  for (const [k, v] of Object.entries(want)) if (labels[k] !== v) return false;
  return true;
}
