/**
 * The level and spread of a series' baseline, and the statistic that says whether a window of
 * recent observations lies beyond it.
 *
 * Latencies are often bimodal (a fast path and a slow one, in proportions that do not change),
 * and a median of a few draws from such a mixture jumps between the modes; so the test compares
 * means instead, made robust to single slow probes by trimming: the window's mean without its
 * highest and lowest observation, against the baseline's mean and standard deviation without its
 * 2.5 % tails (the standard deviation rescaled to what it would be untrimmed for a normal
 * sample). A mixture then cannot move the window further than the distance between its modes,
 * and one slow probe cannot move it at all.
 *
 * Evidence reports what people read more easily: medians, and the shift in units of the
 * baseline's MAD scaled to a standard deviation (× 1.4826).
 */
import { mean, medianSorted, sampleStandardDeviation } from 'simple-statistics';

/** MAD → σ for a normal distribution: 1 / Φ⁻¹(3/4). */
export const MAD_TO_SIGMA = 1.4826;
/** The share cut from each tail of a baseline before its mean and standard deviation. */
const TRIM = 0.025;
/** σ of a normal sample without its 2.5 % tails is 0.871 σ. */
const TRIMMED_SD = 0.871;

export interface Baseline {
  /** Median (judged units), for evidence. */
  readonly median: number;
  /** max(1.4826 · MAD, floor), for evidence. */
  readonly mad: number;
  /** Trimmed mean (judged units), for the test. */
  readonly mean: number;
  /** Trimmed standard deviation, rescaled, at least `floor`, for the test. */
  readonly sd: number;
  /** Observations it rests on. */
  readonly n: number;
}

// simple-statistics' functions index their argument; typed arrays serve (no copies on the detector's hot path).
const asNumbers = (x: Float64Array): number[] => x as unknown as number[];

/** The baseline of `values` (judged units; sorted in place); `floor` bounds both spreads from below. Null with fewer than 3. */
export function baselineOf(values: Float64Array, floor: number): Baseline | null {
  const n = values.length;
  if (n < 3) return null;
  values.sort();
  const med = medianSorted(asNumbers(values));
  const deviations = new Float64Array(n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs((values[i] as number) - med);
  deviations.sort();
  const cut = Math.floor(n * TRIM);
  const kept = asNumbers(values.subarray(cut, n - cut));
  return {
    median: med,
    mad: Math.max(MAD_TO_SIGMA * medianSorted(asNumbers(deviations)), floor),
    mean: mean(kept),
    sd: Math.max(sampleStandardDeviation(kept) / TRIMMED_SD, floor),
    n,
  };
}

/** A window's level (`values` sorted in place): its median (evidence) and its mean without its highest and lowest value (the test). */
export function windowLevel(values: Float64Array): { median: number; trimmedMean: number } {
  values.sort();
  const kept = values.length >= 3 ? values.subarray(1, values.length - 1) : values;
  return { median: medianSorted(asNumbers(values)), trimmedMean: mean(asNumbers(kept)) };
}

/**
 * How far a window's trimmed mean of `n` observations lies from the baseline's mean, in standard
 * errors of such a mean (the trimmed mean of a small window is a little less efficient than the
 * mean: 1.1 for 8 of them, 1.2 for the median of 3).
 */
export function shiftZ(trimmedMean: number, base: Baseline, n: number): number {
  const inefficiency = n >= 6 ? 1.1 : 1.2;
  return (trimmedMean - base.mean) / ((base.sd * inefficiency) / Math.sqrt(n));
}
