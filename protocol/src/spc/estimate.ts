/**
 * Phase I estimators: the centre line and the process σ from baseline points, as qcc computes
 * them (individuals: mean and mean moving range / d2(2); X̄-R: size-weighted grand mean and the
 * unweighted average of R_i/d2(n_i) ("UWAVE-R"); X̄-S: the same with S_i/c4(n_i) ("UWAVE-SD")).
 * With equal subgroups these are X̿, R̄/d2(n) and S̄/c4(n).
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { c4, d2 } from './constants.ts';

/** The Shewhart charts for variables Sigmascope draws. */
export const CHART_TYPES = ['individuals', 'xbar-r', 'xbar-s'] as const;
/** One of CHART_TYPES. */
export type ChartType = (typeof CHART_TYPES)[number];

/** One rational subgroup reduced to what the charts need. */
export interface Subgroup {
  readonly size: number;
  readonly mean: number;
  readonly range: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
}

/** Reduces the values of one subgroup (at least 2, at most 25: the caller validates). */
export function subgroup(values: readonly number[]): Subgroup {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { size: values.length, mean: mean(values as number[]), range: hi - lo, sd: sampleStandardDeviation(values as number[]) };
}

/** Centre of an individuals chart: the mean of the baseline values (at least one). */
export function individualsCenter(values: readonly number[]): number {
  return mean(values as number[]);
}

/** σ of an individuals chart: mean moving range of consecutive values / d2(2); NaN for fewer than 2 values. */
export function movingRangeSigma(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const ranges: number[] = [];
  for (let i = 1; i < values.length; i++) ranges.push(Math.abs((values[i] as number) - (values[i - 1] as number)));
  return mean(ranges) / d2(2);
}

/** Centre of an X̄ chart: the grand mean weighted by subgroup size. */
export function xbarCenter(groups: readonly Subgroup[]): number {
  let weighted = 0;
  let total = 0;
  for (const g of groups) {
    weighted += g.size * g.mean;
    total += g.size;
  }
  return weighted / total;
}

/** σ of an X̄ chart: the average of the within-subgroup estimates R_i/d2(n_i) or S_i/c4(n_i). */
export function withinSigma(chart: 'xbar-r' | 'xbar-s', groups: readonly Subgroup[]): number {
  let sum = 0;
  for (const g of groups) sum += chart === 'xbar-r' ? g.range / d2(g.size) : g.sd / c4(g.size);
  return sum / groups.length;
}

/** Centre and σ from the baseline: values for an individuals chart, subgroups for X̄ charts. */
export function estimate(chart: ChartType, baseline: readonly number[], groups: readonly Subgroup[]): { center: number; sigma: number } {
  if (chart === 'individuals') return { center: individualsCenter(baseline), sigma: movingRangeSigma(baseline) };
  return { center: xbarCenter(groups), sigma: withinSigma(chart, groups) };
}
