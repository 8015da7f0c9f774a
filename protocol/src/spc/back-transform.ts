/**
 * A log-transformed chart read in the data's own units. The chart is computed on ln(value); its
 * centre and limits are mapped back with exp, which is monotonic, so a point beyond a limit on the
 * log scale is beyond the back-transformed limit too. The centre becomes the geometric mean, the
 * zones become asymmetric (wider above than below), and σ becomes a factor: one σ up multiplies
 * a latency by exp(σ). No "−624 ms" limit can come out of it: every value is positive. Pure.
 */

/** Centre, limits and zone edges in the data's units, and σ as a multiplicative factor. */
export interface BackTransformed {
  readonly center: number;
  readonly lcl: number;
  readonly ucl: number;
  /** exp(σ): the factor one σ multiplies a value by. */
  readonly sigmaFactor: number;
  readonly zones: { readonly sigma1: readonly [number, number]; readonly sigma2: readonly [number, number]; readonly sigma3: readonly [number, number] };
}

/** Maps a log chart's parameters back to the data's units. */
export function backTransform(c: { center: number; sigma: number; lcl: number; ucl: number; zones: BackTransformed['zones'] }): BackTransformed {
  const e = (pair: readonly [number, number]): readonly [number, number] => [Math.exp(pair[0]), Math.exp(pair[1])];
  return {
    center: Math.exp(c.center),
    lcl: Math.exp(c.lcl),
    ucl: Math.exp(c.ucl),
    sigmaFactor: Math.exp(c.sigma),
    zones: { sigma1: e(c.zones.sigma1), sigma2: e(c.zones.sigma2), sigma3: e(c.zones.sigma3) },
  };
}
