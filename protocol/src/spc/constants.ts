/**
 * Control-chart constants for subgroup sizes 2..25.
 *
 * d2 and d3 are the tabulated values qcc uses (`qcc.options("exp.R.unscaled")` and
 * `"se.R.unscaled"`, the same table as the standard textbook appendices), so that limits agree
 * with qcc's published output to the last printed digit: d2(2) is 1.128, not 2/√π. c4 is exact.
 * Every other factor (A2, A3, D3, D4, B3, B4) is derived from these three.
 */

/** Smallest subgroup size the tables cover. */
export const MIN_SUBGROUP = 2;
/** Largest subgroup size the tables cover. */
export const MAX_SUBGROUP = 25;

// Index 0 is n = 2.
const D2 = [
  1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.97, 3.078, 3.173, 3.258, 3.336, 3.407, 3.472, 3.532, 3.588, 3.64, 3.689,
  3.735, 3.778, 3.819, 3.858, 3.895, 3.931,
] as const;

const D3 = [
  0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378, 0.8078413, 0.7970584, 0.787323, 0.7784873,
  0.7704257, 0.763033, 0.7562217, 0.7499188, 0.7440627, 0.7386021, 0.7334929, 0.728698, 0.7241851, 0.7199267, 0.7158987,
  0.7120802, 0.7084528,
] as const;

/** The constants of one subgroup size. */
export interface ChartConstants {
  readonly n: number;
  /** E(range) / σ of n normal observations. */
  readonly d2: number;
  /** SD(range) / σ. */
  readonly d3: number;
  /** E(sample SD) / σ. */
  readonly c4: number;
  /** X̄ limits from R̄: X̄ ± A2·R̄. */
  readonly A2: number;
  /** X̄ limits from S̄: X̄ ± A3·S̄. */
  readonly A3: number;
  /** R chart limits: D3·R̄, D4·R̄. */
  readonly D3: number;
  readonly D4: number;
  /** S chart limits: B3·S̄, B4·S̄. */
  readonly B3: number;
  readonly B4: number;
}

/** True when `n` is an integer subgroup size the tables cover. */
export function isSubgroupSize(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_SUBGROUP && n <= MAX_SUBGROUP;
}

/** d2(n) for n in 2..25; NaN outside the table (callers validate sizes first). */
export function d2(n: number): number {
  return isSubgroupSize(n) ? (D2[n - MIN_SUBGROUP] as number) : Number.NaN;
}

/** d3(n) for n in 2..25; NaN outside the table. */
export function d3(n: number): number {
  return isSubgroupSize(n) ? (D3[n - MIN_SUBGROUP] as number) : Number.NaN;
}

/**
 * c4(n) = √(2/(n−1)) · Γ(n/2) / Γ((n−1)/2), exact for any integer n ≥ 2 (NaN below).
 * The gamma ratio r(n) = Γ(n/2)/Γ((n−1)/2) follows r(2) = 1/√π and r(n+1) = (n−1) / (2·r(n)).
 */
export function c4(n: number): number {
  if (!Number.isInteger(n) || n < 2) return Number.NaN;
  let r = 1 / Math.sqrt(Math.PI);
  for (let k = 2; k < n; k++) r = (k - 1) / (2 * r);
  return Math.sqrt(2 / (n - 1)) * r;
}

/** All constants of subgroup size `n` (2..25), or undefined outside the table. */
export function chartConstants(n: number): ChartConstants | undefined {
  if (!isSubgroupSize(n)) return undefined;
  const dd2 = d2(n);
  const dd3 = d3(n);
  const cc4 = c4(n);
  const rootN = Math.sqrt(n);
  const sSpread = (3 * Math.sqrt(1 - cc4 * cc4)) / cc4;
  return Object.freeze({
    n,
    d2: dd2,
    d3: dd3,
    c4: cc4,
    A2: 3 / (dd2 * rootN),
    A3: 3 / (cc4 * rootN),
    D3: Math.max(0, 1 - (3 * dd3) / dd2),
    D4: 1 + (3 * dd3) / dd2,
    B3: Math.max(0, 1 - sSpread),
    B4: 1 + sSpread,
  });
}
