/**
 * A forecast with prediction intervals for an evenly spaced series: the exponential smoothing
 * kinds that the data can support are fitted (ets.ts: a level, with a trend, and with a season
 * when its length is given and three seasons are there), and the one with the least AIC on the
 * same points forecasts.
 * Under the log transform (latency, costs: positive and right-skewed) the model is fitted to
 * ln y and the mean and bounds come back as exp(·): the mean is then the forecast median.
 * What the capacity view and the forecast overlay draw; backtested in bench/forecast-backtest.mjs.
 */
import { burnIn, ETS_KINDS, fitEts, forecastEts, hasSeason, minimumPoints } from './ets.ts';
import type { EtsKind, EtsModel } from './ets.ts';
import { normalQuantile } from '../normal-quantile.ts';

export interface ForecastOptions {
  /** Steps ahead (1..100,000). */
  readonly horizon: number;
  /** Central coverage of the interval, 0 < level < 1 (0.8: the 10th to the 90th percentile). */
  readonly level: number;
  /** Season length in steps (e.g. 288 five-minute steps = a day); none when absent. */
  readonly period?: number;
  readonly transform?: 'none' | 'log';
  /** Kinds allowed (default all four). */
  readonly kinds?: readonly EtsKind[];
  /**
   * How the kind is chosen: `holdout` (default) forecasts the last `horizon` values (twice, from
   * two origins) from what came before them and keeps the kind with the least absolute error, so
   * a trend that fits one step well but runs away over the horizon loses; `aic` uses Akaike's
   * criterion on one-step errors. Holdout needs 2·horizon values beyond the kind's minimum, and
   * falls back to AIC otherwise.
   */
  readonly select?: 'holdout' | 'aic';
}

export interface Forecast {
  readonly kind: EtsKind;
  readonly level: number;
  readonly transform: 'none' | 'log';
  readonly model: Omit<EtsModel, 'season'>;
  /** One value per step ahead: the forecast (median under log) and the interval bounds. */
  readonly mean: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

export type ForecastResult = { readonly ok: true; readonly forecast: Forecast } | { readonly ok: false; readonly error: string };

/** Forecasts `values` (evenly spaced, oldest first). */
export function forecastValues(values: ArrayLike<number>, o: ForecastOptions): ForecastResult {
  if (!Number.isInteger(o.horizon) || o.horizon < 1 || o.horizon > 100_000) return { ok: false, error: `horizon ${o.horizon} is not an integer in [1, 100000]` };
  if (!(o.level > 0 && o.level < 1)) return { ok: false, error: `level ${o.level} is not in (0, 1)` };
  const transform = o.transform ?? 'none';
  const y = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) return { ok: false, error: `value ${i} is not finite` };
    if (transform === 'log' && !(v > 0)) return { ok: false, error: `value ${i} (${v}) cannot take the log transform` };
    y[i] = transform === 'log' ? Math.log(v) : v;
  }
  const period = o.period ?? 0;
  const kinds = (o.kinds ?? ETS_KINDS).filter((k) => y.length >= minimumPoints(k, period) && (!hasSeason(k) || period >= 2));
  if (kinds.length === 0) return { ok: false, error: `${y.length} values are too few to forecast (at least ${minimumPoints('ANN')})` };
  const skip = Math.max(...kinds.map((k) => burnIn(k, y.length, period)));
  const chosen = o.select === 'aic' ? null : byHoldout(y, kinds, period, o.horizon);
  let best: EtsModel | null = null;
  for (const k of chosen === null ? kinds : [chosen]) {
    const m = fitEts(y, k, period, skip);
    if (m !== null && (best === null || m.aic < best.aic)) best = m;
  }
  if (best === null) return { ok: false, error: `${y.length} values are too few to forecast` };
  const { mean, sd } = forecastEts(best, o.horizon);
  const z = normalQuantile((1 + o.level) / 2);
  const back = transform === 'log' ? Math.exp : (x: number) => x;
  const out = { mean: [] as number[], lower: [] as number[], upper: [] as number[] };
  for (let i = 0; i < o.horizon; i++) {
    out.mean.push(back(mean[i] as number));
    out.lower.push(back((mean[i] as number) - z * (sd[i] as number)));
    out.upper.push(back((mean[i] as number) + z * (sd[i] as number)));
  }
  const { season: _season, ...model } = best;
  return { ok: true, forecast: { kind: best.kind, level: o.level, transform, model, ...out } };
}

/** The kind whose forecasts of the last 2·h values (from origins n − 2h and n − h) miss least; null when too short. */
function byHoldout(y: Float64Array, kinds: readonly EtsKind[], period: number, h: number): EtsKind | null {
  const n = y.length;
  let best: { kind: EtsKind; error: number } | null = null;
  for (const k of kinds) {
    if (n - 2 * h < minimumPoints(k, period)) continue;
    let error = 0;
    for (const origin of [n - 2 * h, n - h]) {
      const m = fitEts(y.subarray(0, origin), k, period);
      if (m === null) {
        error = Infinity;
        break;
      }
      const f = forecastEts(m, h).mean;
      for (let i = 0; i < h; i++) error += Math.abs((y[origin + i] as number) - (f[i] as number));
    }
    if (best === null || error < best.error) best = { kind: k, error };
  }
  return best?.kind ?? null;
}

/**
 * When a forecast first reaches `limit` (an index of steps ahead, 1-based, or null within the
 * horizon): `expected` by the forecast itself, `earliest` by its upper bound, `latest` by its
 * lower bound. For a falling series toward a floor, pass `direction: 'down'`.
 */
export function stepsToLimit(f: Forecast, limit: number, direction: 'up' | 'down' = 'up'): { expected: number | null; earliest: number | null; latest: number | null } {
  const reach = (xs: readonly number[]): number | null => {
    const i = xs.findIndex((x) => (direction === 'up' ? x >= limit : x <= limit));
    return i < 0 ? null : i + 1;
  };
  return direction === 'up' ? { expected: reach(f.mean), earliest: reach(f.upper), latest: reach(f.lower) } : { expected: reach(f.mean), earliest: reach(f.lower), latest: reach(f.upper) };
}
