/**
 * Group-by aggregation: the series of each group merged bucket by bucket (count/sum/min/max are
 * mergeable, so avg is the group's true mean, not a mean of means), one value per step, or one
 * value for the whole window when no step is given. Also the base of top-k.
 */
import type { Agg } from '../store/rollups/rollup-tiers.ts';
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';
import { groupOf } from './label-match.ts';
import { bucketValue, seriesBuckets } from './series-buckets.ts';
import type { BucketAgg } from './series-buckets.ts';

export interface GroupSeries {
  readonly group: Record<string, string>;
  readonly series: number;
  readonly points: [number, number][];
}

/** Groups ordered by key; with `stepMs` undefined each group has one point at `from`. */
export function groupAggregate(reader: TimeSeriesReader, series: readonly SeriesRef[], by: readonly string[], agg: BucketAgg, from: number, to: number, stepMs: number | undefined, now: number): GroupSeries[] {
  const span = Math.max(1, to - from + 1);
  // One window-wide bucket: the coarsest tier that divides a step covering the window.
  const step = stepMs ?? windowStep(span);
  const groups = new Map<string, { group: Record<string, string>; buckets: Map<number, Agg>; series: number }>();
  for (const s of series) {
    const { key, group } = groupOf(s, by);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { group, buckets: new Map(), series: 0 }));
    g.series++;
    for (const b of seriesBuckets(reader, s.id, from, to, step, now).buckets) {
      const start = stepMs === undefined ? from : b.start;
      const cur = g.buckets.get(start);
      if (cur === undefined) g.buckets.set(start, { ...b, start });
      else {
        cur.count += b.count;
        cur.sum += b.sum;
        if (b.min < cur.min) cur.min = b.min;
        if (b.max > cur.max) cur.max = b.max;
      }
    }
  }
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, g]) => ({ group: g.group, series: g.series, points: [...g.buckets.values()].sort((x, y) => x.start - y.start).map((b) => [b.start, bucketValue(b, agg)] as [number, number]) }));
}

/** A step that tiers can answer and that splits the window into few buckets (merged afterwards). */
function windowStep(span: number): number {
  if (span >= 6 * 3_600_000) return 3_600_000;
  if (span >= 30 * 60_000) return 60_000;
  return 10_000;
}
