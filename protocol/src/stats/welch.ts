/**
 * Welch's t test, two-sided: `scipy.stats.ttest_ind(a, b, equal_var=False)`. t is
 * (mean A − mean B) / √(sA²/nA + sB²/nB) with sample variances (n − 1), df by
 * Welch–Satterthwaite, p = 2 · P(T > |t|).
 */
import { mean, sampleVariance } from 'simple-statistics';
import { tSf } from './distributions.ts';

export interface WelchResult {
  readonly t: number;
  readonly df: number;
  readonly p: number;
}

/** The test; null when either sample has fewer than two values or both have no spread. */
export function welchT(a: readonly number[], b: readonly number[]): WelchResult | null {
  if (a.length < 2 || b.length < 2) return null;
  const va = sampleVariance(a as number[]) / a.length;
  const vb = sampleVariance(b as number[]) / b.length;
  const se2 = va + vb;
  if (!(se2 > 0)) return null;
  const t = (mean(a as number[]) - mean(b as number[])) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return { t, df, p: Math.min(1, 2 * tSf(Math.abs(t), df)) };
}
