/**
 * Why a comparison may not be able to see a change: too few values, an exact test that cannot
 * reach alpha at these sizes, or too little power for a change of `threshold` (relative, on the
 * mean of A) given the spread seen — the normal approximation of the two-sided test's power,
 * Φ(δ/se − z₁₋α/₂) + Φ(−δ/se − z₁₋α/₂). Warnings are text for people; they never change a verdict.
 */
import { mean, sampleVariance } from 'simple-statistics';
import { normCdf, normPpf } from './distributions.ts';

/** Below this many values on a side, percentile comparisons are fragile. */
export const MIN_SAMPLES = 20;
/** The conventional power a comparison should have to call "no change" with some confidence. */
export const MIN_POWER = 0.8;

/** Approximate power to detect a relative change `threshold` of A's mean; null without spread. */
export function approximatePower(a: readonly number[], b: readonly number[], threshold: number, alpha: number): number | null {
  if (a.length < 2 || b.length < 2) return null;
  const se = Math.sqrt(sampleVariance(a as number[]) / a.length + sampleVariance(b as number[]) / b.length);
  if (!(se > 0)) return null;
  const delta = Math.abs(threshold * mean(a as number[]));
  const z = normPpf(1 - alpha / 2);
  return normCdf(delta / se - z) + normCdf(-delta / se - z);
}

/** The warnings of one comparison, empty when none applies. */
export function sampleWarnings(a: readonly number[], b: readonly number[], threshold: number, alpha: number): string[] {
  const out: string[] = [];
  const n = Math.min(a.length, b.length);
  if (n < MIN_SAMPLES) out.push(`only ${n} values on one side (at least ${MIN_SAMPLES} recommended)`);
  const m1 = a.length;
  const m2 = b.length;
  if (m1 > 0 && m2 > 0 && (m1 <= 8 || m2 <= 8)) {
    // The smallest two-sided exact p is 2 / C(m1 + m2, m1).
    let c = 1;
    for (let i = 1; i <= Math.min(m1, m2); i++) c = (c * (Math.max(m1, m2) + i)) / i;
    if (2 / c >= alpha) out.push(`with ${m1} and ${m2} values no p-value can fall below alpha ${alpha}`);
  }
  const power = approximatePower(a, b, threshold, alpha);
  if (power !== null && power < MIN_POWER) out.push(`power to detect a ${Math.round(threshold * 100)} % change is about ${power.toFixed(2)} (below ${MIN_POWER})`);
  return out;
}
