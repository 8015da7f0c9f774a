/**
 * Compare two windows (before / after) per group: count, mean, p50, p95 in each, the change of
 * each, and Welch's t statistic of the means when both windows have spread. Means come from the
 * rollups (exact), percentiles from the sketches.
 */
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';
import { groupAggregate } from './group-aggregate.ts';
import { groupedPercentiles } from './percentiles.ts';

export interface WindowStats {
  readonly count: number;
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
}

export interface CompareRow {
  readonly group: Record<string, string>;
  readonly before: WindowStats;
  readonly after: WindowStats;
  /** after − before for mean, p50, p95 (null where either side is empty). */
  readonly change: { mean: number | null; p50: number | null; p95: number | null; meanRatio: number | null };
}

export interface Window {
  readonly from: number;
  readonly to: number;
}

export function compareWindows(reader: TimeSeriesReader, series: readonly SeriesRef[], by: readonly string[], before: Window, after: Window, now: number): CompareRow[] {
  const side = (w: Window): Map<string, WindowStats> => {
    const means = new Map(groupAggregate(reader, series, by, 'avg', w.from, w.to, undefined, now).map((g) => [JSON.stringify(g.group), g.points[0]?.[1] ?? null]));
    const out = new Map<string, WindowStats>();
    for (const r of groupedPercentiles(reader, series, by, [0.5, 0.95], w.from, w.to + 1)) {
      const key = JSON.stringify(r.group);
      out.set(key, { count: r.count, mean: means.get(key) ?? null, p50: r.quantiles.p50 ?? null, p95: r.quantiles.p95 ?? null });
    }
    return out;
  };
  const b = side(before);
  const a = side(after);
  const diff = (x: number | null, y: number | null): number | null => (x === null || y === null ? null : y - x);
  const empty: WindowStats = { count: 0, mean: null, p50: null, p95: null };
  return [...new Set([...b.keys(), ...a.keys()])].sort().map((key) => {
    const x = b.get(key) ?? empty;
    const y = a.get(key) ?? empty;
    return {
      group: JSON.parse(key) as Record<string, string>,
      before: x,
      after: y,
      change: { mean: diff(x.mean, y.mean), p50: diff(x.p50, y.p50), p95: diff(x.p95, y.p95), meanRatio: x.mean === null || y.mean === null || x.mean === 0 ? null : y.mean / x.mean },
    };
  });
}
