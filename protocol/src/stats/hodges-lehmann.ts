/**
 * The Hodges–Lehmann estimate of the shift of B against A, median(bⱼ − aᵢ) over all pairs, and
 * its distribution-free confidence interval from the order statistics of those differences
 * (Hollander & Wolfe, Nonparametric Statistical Methods, §4.3, large-sample form):
 *
 *   k = ⌊mn/2 − z_{1−α/2} · √(mn(m+n+1)/12)⌋ (at least 1),   CI = [D₍ₖ₎, D₍ₘₙ₊₁₋ₖ₎]
 *
 * Above 4,000,000 pairs each sample is first reduced to 2,000 evenly spaced order statistics
 * (linear interpolation), which keeps memory bounded and moves the estimate by far less than
 * its interval's width.
 */
import { quantileSorted } from 'simple-statistics';
import { normPpf } from './distributions.ts';

export interface HodgesLehmannResult {
  /** Positive when B is larger than A. */
  readonly shift: number;
  readonly ci: readonly [number, number];
}

const MAX_PAIRS = 4_000_000;
const REDUCED = 2_000;

function reduce(sorted: number[]): number[] {
  if (sorted.length <= REDUCED) return sorted;
  return Array.from({ length: REDUCED }, (_, i) => quantileSorted(sorted, i / (REDUCED - 1)));
}

/** The estimate and its (1 − alpha) interval; both samples non-empty. */
export function hodgesLehmann(a: readonly number[], b: readonly number[], alpha = 0.05): HodgesLehmannResult {
  if (a.length === 0 || b.length === 0) throw new RangeError('hodgesLehmann needs two non-empty samples');
  let xs = [...a].sort((x, y) => x - y);
  let ys = [...b].sort((x, y) => x - y);
  if (xs.length * ys.length > MAX_PAIRS) {
    xs = reduce(xs);
    ys = reduce(ys);
  }
  const m = xs.length;
  const n = ys.length;
  const d = new Float64Array(m * n);
  let k = 0;
  for (const y of ys) for (const x of xs) d[k++] = y - x;
  d.sort();
  const mn = m * n;
  const shift = mn % 2 === 1 ? (d[(mn - 1) / 2] as number) : ((d[mn / 2 - 1] as number) + (d[mn / 2] as number)) / 2;
  const c = Math.max(1, Math.floor(mn / 2 - normPpf(1 - alpha / 2) * Math.sqrt((mn * (m + n + 1)) / 12)));
  return { shift, ci: [d[c - 1] as number, d[mn - c] as number] };
}
