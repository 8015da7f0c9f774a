/**
 * Seeded bootstrap percentile intervals for a percentile of one sample, as
 * `scipy.stats.bootstrap((x,), statistic, method='percentile')` defines them: B resamples with
 * replacement, the statistic of each, and the α/2 and 1 − α/2 percentiles (linear interpolation)
 * of those. Resample indices are ⌊u·n⌋ from `seededUniform(seed)`, so the same seed gives the same
 * interval everywhere (and in the reference script).
 */
import { quantileSorted } from 'simple-statistics';
import { seededUniform } from './seeded-uniform.ts';

export interface BootstrapOptions {
  readonly seed: number;
  readonly resamples?: number;
  readonly alpha?: number;
}

/** Interval of the q-quantile (0..1) of `x`; x non-empty. */
export function bootstrapPercentileCi(x: readonly number[], q: number, o: BootstrapOptions): readonly [number, number] {
  if (x.length === 0) throw new RangeError('bootstrapPercentileCi needs a non-empty sample');
  const resamples = o.resamples ?? 2000;
  const alpha = o.alpha ?? 0.05;
  const uniform = seededUniform(o.seed);
  const n = x.length;
  const stats = new Array<number>(resamples);
  const draw = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = x[Math.floor(uniform() * n)] as number;
    draw.sort((p, s) => p - s);
    stats[r] = quantileSorted(draw, q);
  }
  stats.sort((p, s) => p - s);
  return [quantileSorted(stats, alpha / 2), quantileSorted(stats, 1 - alpha / 2)];
}
