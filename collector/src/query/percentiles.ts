/**
 * Percentiles of a metric over a window, grouped by any labels (or `agent`): each group's series
 * sketches are merged (1h and 1m sketches for whole buckets, raw points at the edges and in the
 * head), so the answer is within 1 % rank error and costs O(buckets), not O(points).
 */
import { QuantileSketch } from '../store/rollups/quantile-sketch.ts';
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';
import { groupOf } from './label-match.ts';

export interface PercentileRow {
  readonly group: Record<string, string>;
  readonly series: number;
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  /** q → value (null when the group has no finite value in the window). */
  readonly quantiles: Record<string, number | null>;
}

/** One row per group, ordered by group key. `qs` in [0, 1]. */
export function groupedPercentiles(reader: TimeSeriesReader, series: readonly SeriesRef[], by: readonly string[], qs: readonly number[], from: number, to: number): PercentileRow[] {
  const groups = new Map<string, { group: Record<string, string>; sketch: QuantileSketch; series: number }>();
  for (const s of series) {
    const { key, group } = groupOf(s, by);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { group, sketch: new QuantileSketch(), series: 0 }));
    g.sketch.merge(reader.sketch(s.id, from, to));
    g.series++;
  }
  return percentileRows(groups, qs);
}

/** Groups keyed by their group key, each with its merged sketch and series count. */
export type SketchGroups = ReadonlyMap<string, { readonly group: Record<string, string>; readonly sketch: QuantileSketch; readonly series: number }>;

/** The rows of merged groups, ordered by group key (the local and the prometheus backend alike). */
export function percentileRows(groups: SketchGroups, qs: readonly number[]): PercentileRow[] {
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, g]) => ({
      group: g.group,
      series: g.series,
      count: g.sketch.count,
      min: g.sketch.count === 0 ? null : g.sketch.min,
      max: g.sketch.count === 0 ? null : g.sketch.max,
      quantiles: Object.fromEntries(qs.map((q) => [quantileName(q), g.sketch.count === 0 ? null : g.sketch.quantile(q)])),
    }));
}

/** 0.5 → "p50", 0.999 → "p99.9". */
export function quantileName(q: number): string {
  return `p${Number((q * 100).toFixed(4))}`;
}
