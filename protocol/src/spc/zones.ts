/**
 * Where a plotted value lies relative to the centre and the 1σ, 2σ and 3σ lines of its own
 * standard error. Shared by the batch and the streaming evaluator so both see the same point.
 * The lines are `center ± k·se`, computed as qcc computes them; every test is strict except
 * `inside1`, which is inclusive (Nelson 7).
 */

/** Bit flags of one point. */
export const Zone = {
  above: 1,
  below: 2,
  above1: 4,
  below1: 8,
  above2: 16,
  below2: 32,
  above3: 64,
  below3: 128,
  inside1: 256,
} as const;

/** The flags of `value` on a chart with centre `center` and standard error `se` (σ/√n). */
export function classify(value: number, center: number, se: number): number {
  let z = 0;
  if (value > center) z |= Zone.above;
  if (value < center) z |= Zone.below;
  const hi1 = center + se;
  const lo1 = center - se;
  if (value > hi1) z |= Zone.above1;
  if (value < lo1) z |= Zone.below1;
  if (value >= lo1 && value <= hi1) z |= Zone.inside1;
  if (value > center + 2 * se) z |= Zone.above2;
  if (value < center - 2 * se) z |= Zone.below2;
  if (value > center + 3 * se) z |= Zone.above3;
  if (value < center - 3 * se) z |= Zone.below3;
  return z;
}
