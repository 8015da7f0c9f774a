/**
 * The dispersion chart drawn under every location chart, with qcc's conventions: the moving
 * range (MR) of consecutive values under an individuals chart, the range (R) under X̄-R, the
 * standard deviation (S) under X̄-S. Limits come from the location chart's process σ, so both
 * charts of a pair agree:
 *
 *   MR, R of n:  centre d2(n)·σ, limits d2(n)·σ ± 3·d3(n)·σ   (MR: n = 2; MR̄·D4 when σ = MR̄/d2)
 *   S of n:      centre c4(n)·σ, limits c4(n)·σ ± 3·σ·√(1 − c4(n)²)
 *
 * a lower limit below zero being 0. Pure; JSON-safe output.
 */
import { c4, d2, d3 } from './constants.ts';

/** Which statistic the dispersion chart plots. */
export type DispersionKind = 'mr' | 'r' | 's';

/** One plotted spread, with the limits of its own size. */
export interface DispersionPoint {
  readonly value: number;
  readonly lcl: number;
  readonly ucl: number;
}

/** The chart: centre and limits at the common size, points (null where none: the first MR), and the points beyond a limit. */
export interface DispersionChart {
  readonly kind: DispersionKind;
  readonly center: number;
  readonly lcl: number;
  readonly ucl: number;
  readonly points: readonly (DispersionPoint | null)[];
  /** 0-based indices of points beyond their limits. */
  readonly beyond: readonly number[];
}

function limits(kind: DispersionKind, n: number, sigma: number): { center: number; lcl: number; ucl: number } {
  if (kind === 's') {
    const c = c4(n);
    const half = 3 * sigma * Math.sqrt(1 - c * c);
    return { center: c * sigma, lcl: Math.max(0, c * sigma - half), ucl: c * sigma + half };
  }
  const center = d2(n) * sigma;
  const half = 3 * d3(n) * sigma;
  return { center, lcl: Math.max(0, center - half), ucl: center + half };
}

/**
 * The dispersion chart of `spreads` (per plotted point: the moving range, range or SD; null for
 * the first point of an MR chart), with subgroup sizes `sizes` and the process σ; `size` is the
 * common size the headline limits describe.
 */
export function dispersionChart(kind: DispersionKind, spreads: readonly (number | null)[], sizes: readonly number[], sigma: number, size: number): DispersionChart {
  const head = limits(kind, kind === 'mr' ? 2 : size, sigma);
  const beyond: number[] = [];
  const points = spreads.map((value, i) => {
    if (value === null) return null;
    const l = limits(kind, kind === 'mr' ? 2 : (sizes[i] as number), sigma);
    if (value > l.ucl || value < l.lcl) beyond.push(i);
    return { value, lcl: l.lcl, ucl: l.ucl };
  });
  return { kind, ...head, points, beyond };
}

/** Moving ranges |x_i − x_{i−1}|, null for the first value. */
export function movingRanges(values: readonly number[]): (number | null)[] {
  return values.map((v, i) => (i === 0 ? null : Math.abs(v - (values[i - 1] as number))));
}
