/**
 * The summary run.json keeps per metric: p50, p90, p95, p99 with numpy's default (linear,
 * R type 7) interpolation and the mean, through simple-statistics (whose quantileSorted is that
 * definition in 7.12.1). Null when there are no values.
 */
import { mean, quantileSorted } from 'simple-statistics';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
}

/** The summary of `values` (any order; NaN excluded by the caller). */
export function latencySummary(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return { p50: quantileSorted(s, 0.5), p90: quantileSorted(s, 0.9), p95: quantileSorted(s, 0.95), p99: quantileSorted(s, 0.99), mean: mean(s) };
}
