/**
 * Cliff's delta of B against A: P(B > A) − P(B < A) over all pairs, in [−1, 1]; positive when B
 * tends to be larger. Counted in O((m + n) log) by binary search on the sorted A.
 */

function countBelow(sorted: readonly number[], v: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid] as number;
    if (strict ? x < v : x <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The effect size; both samples non-empty. */
export function cliffsDelta(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) throw new RangeError('cliffsDelta needs two non-empty samples');
  const xs = [...a].sort((x, y) => x - y);
  let more = 0;
  let less = 0;
  for (const y of b) {
    more += countBelow(xs, y, true);
    less += xs.length - countBelow(xs, y, false);
  }
  return (more - less) / (a.length * b.length);
}
