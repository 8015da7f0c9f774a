/**
 * The statistics of `bench compare` for two windows of live data (GET /api/v1/query/compare):
 * per group, the raw values of the before window (A) against the after window (B) through
 * protocol/stats — Mann–Whitney U, Welch's t, Hodges–Lehmann, Cliff's delta — then Holm over the
 * groups and a verdict each (lower is better: these are latencies, utilizations, temperatures).
 *
 * Raw points only (rollups have no per-value data): a window older than the raw retention has no
 * values and says so. At most MAX_VALUES values a side, evenly spaced through the window. Live
 * telemetry is autocorrelated at 2 Hz, which makes any test of independent samples
 * over-confident; per-probe latency series are the honest use.
 */
import { compareSamples, judgeFamily } from '@sigmascope/protocol/stats/sample-comparison';
import type { JudgedComparison, SampleComparison } from '@sigmascope/protocol/stats/sample-comparison';
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';
import { groupOf } from './label-match.ts';
import type { Window } from './window-compare.ts';

export const MAX_VALUES = 50_000;

export type WindowStatistics = JudgedComparison<SampleComparison>;

function thin(values: number[]): number[] {
  if (values.length <= MAX_VALUES) return values;
  const step = values.length / MAX_VALUES;
  return Array.from({ length: MAX_VALUES }, (_, i) => values[Math.floor(i * step)] as number);
}

/** Statistics per group key (the JSON of the group, as compareWindows keys them). */
export function windowStatistics(reader: TimeSeriesReader, series: readonly SeriesRef[], by: readonly string[], before: Window, after: Window, o: { threshold: number; alpha: number }, now: number): Map<string, WindowStatistics> {
  const groups = new Map<string, { a: number[]; b: number[] }>();
  for (const s of series) {
    const key = JSON.stringify(groupOf(s, by).group);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { a: [], b: [] }));
    for (const [w, into] of [[before, g.a], [after, g.b]] as const) {
      for (const v of reader.raw(s.id, w.from, w.to).values) if (Number.isFinite(v)) into.push(v);
    }
  }
  const keys = [...groups.keys()].sort();
  const rawSince = reader.keptSince('raw', now);
  const judged = judgeFamily(keys.map((k) => {
    const g = groups.get(k) as { a: number[]; b: number[] };
    const c = compareSamples(thin(g.a), thin(g.b), o);
    return before.from < rawSince ? { ...c, warnings: [...c.warnings, `raw points before ${new Date(rawSince).toISOString()} are no longer kept (retention)`] } : c;
  }), o);
  return new Map(keys.map((k, i) => [k, judged[i] as WindowStatistics]));
}
