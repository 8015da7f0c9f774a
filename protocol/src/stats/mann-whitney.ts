/**
 * The Mann–Whitney U test, two-sided, exactly as `scipy.stats.mannwhitneyu(a, b,
 * alternative="two-sided", method="auto", use_continuity=True)` computes it:
 *
 * - U is sample A's statistic, U1 = R1 − n1(n1+1)/2 with average ranks.
 * - method "auto": exact when either sample has ≤ 8 values and there are no ties; otherwise the
 *   normal approximation with the tie-corrected variance and a continuity correction of 0.5.
 * - p = 2 · P(U ≥ max(U1, U2)), clipped to 1.
 */
import { normSf } from './distributions.ts';
import { averageRanks } from './ranks.ts';

export interface MannWhitneyResult {
  /** U of sample A. */
  readonly u: number;
  readonly p: number;
  readonly method: 'exact' | 'asymptotic';
}

/** The test; both samples need at least one value and no NaN. */
export function mannWhitneyU(a: readonly number[], b: readonly number[], method: 'auto' | 'exact' | 'asymptotic' = 'auto'): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs two non-empty samples');
  const { ranks, tieGroups } = averageRanks([...a, ...b]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const ties = tieGroups.some((t) => t > 1);
  const chosen = method === 'auto' ? (n1 > 8 && n2 > 8) || ties ? 'asymptotic' : 'exact' : method;
  let p: number;
  if (chosen === 'exact') {
    p = 2 * exactSf(Math.round(u), n1, n2);
  } else {
    const n = n1 + n2;
    const tieTerm = tieGroups.reduce((s, t) => s + t * t * t - t, 0);
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    p = 2 * normSf((u - (n1 * n2) / 2 - 0.5) / s);
  }
  return { u: u1, p: Math.min(1, Math.max(0, p)), method: chosen };
}

/**
 * P(U ≥ k) under the null for sizes m, n: the counts of U are the coefficients of the Gaussian
 * binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), divided by C(m+n, m).
 */
function exactSf(k: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const size = m * n + 1;
  let poly = new Float64Array(size);
  poly[0] = 1;
  for (let i = 1; i <= m; i++) {
    const next = new Float64Array(size);
    // Multiply by (1 − q^{n+i}).
    for (let j = 0; j < size; j++) next[j] = (poly[j] as number) - (j >= n + i ? (poly[j - n - i] as number) : 0);
    // Divide by (1 − q^i): a running sum with stride i.
    for (let j = i; j < size; j++) next[j] = (next[j] as number) + (next[j - i] as number);
    poly = next;
  }
  let total = 0;
  let tail = 0;
  for (let j = 0; j < size; j++) {
    total += poly[j] as number;
    if (j >= k) tail += poly[j] as number;
  }
  return tail / total;
}
