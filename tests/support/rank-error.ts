/**
 * Rank error of a quantile estimate, for the sketch tests: how far `q` lies outside the range of
 * ranks that `v` holds in `sorted` (0 when some rank of v is q: ties count as one run).
 */
export function rankError(sorted: readonly number[], q: number, v: number): number {
  let lo = 0;
  while (lo < sorted.length && (sorted[lo] as number) < v) lo++;
  let hi = lo;
  while (hi < sorted.length && (sorted[hi] as number) <= v) hi++;
  const rLo = lo / sorted.length;
  const rHi = hi / sorted.length;
  return q < rLo ? rLo - q : q > rHi ? q - rHi : 0;
}
