/**
 * Average ranks of a pooled sample (ties share the mean of their positions, 1-based), and the
 * sizes of the tie groups: scipy's `rankdata(method='average')` and its tie counts.
 */

export interface Ranking {
  /** Rank of each value, in input order. */
  readonly ranks: Float64Array;
  /** Size of every group of equal values (1 for a value with no ties). */
  readonly tieGroups: readonly number[];
}

/** Ranks `values`; NaN is the caller's to reject first. */
export function averageRanks(values: ArrayLike<number>): Ranking {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
  const ranks = new Float64Array(n);
  const tieGroups: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && values[order[j] as number] === values[order[i] as number]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k] as number] = rank;
    tieGroups.push(j - i);
    i = j;
  }
  return { ranks, tieGroups };
}
