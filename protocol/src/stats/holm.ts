/**
 * Holm's step-down adjustment of a family of p-values (statsmodels `multipletests(p,
 * method='holm')`): sorted ascending, p₍ᵢ₎ · (m − i + 1), made monotone, capped at 1; returned in
 * input order.
 */

/** Adjusted p-values in the order given. */
export function holmAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((i, j) => (p[i] as number) - (p[j] as number));
  const out = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (p[idx] as number)));
    out[idx] = running;
  });
  return out;
}
