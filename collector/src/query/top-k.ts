/**
 * Top-k: the k groups (by default agents, i.e. hosts) with the highest (or lowest) value of an
 * aggregation of a metric over a window.
 */
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';
import { groupAggregate } from './group-aggregate.ts';
import type { BucketAgg } from './series-buckets.ts';

export interface TopRow {
  readonly rank: number;
  readonly group: Record<string, string>;
  readonly value: number;
  readonly series: number;
}

export function topK(reader: TimeSeriesReader, series: readonly SeriesRef[], by: readonly string[], agg: BucketAgg, k: number, order: 'desc' | 'asc', from: number, to: number, now: number): TopRow[] {
  const rows = groupAggregate(reader, series, by, agg, from, to, undefined, now)
    .filter((g) => g.points.length > 0)
    .map((g) => ({ group: g.group, series: g.series, value: (g.points[0] as [number, number])[1] }));
  rows.sort((a, b) => (order === 'desc' ? b.value - a.value : a.value - b.value));
  return rows.slice(0, k).map((r, i) => ({ rank: i + 1, ...r }));
}
