/**
 * Rolling-origin backtest of forecastValues on one series: at each origin the model is fitted to
 * the `train` values before it only, and its 1..horizon-step forecasts are compared with what
 * came next. Reports MAPE (%) over every forecast point, the share of actual values inside the
 * prediction interval (coverage, to compare with the nominal level), and the MAPE of the naive
 * forecast (the last value carried forward) over the same points, as the yardstick of skill.
 * Pure.
 */
import { forecastValues } from './forecast.ts';
import type { ForecastOptions } from './forecast.ts';

export interface BacktestOptions extends ForecastOptions {
  /** Values before each origin that the model sees (the most recent ones). */
  readonly train: number;
  /** First origin (index of the first forecast value) and the distance between origins. */
  readonly from: number;
  readonly every: number;
}

export interface BacktestResult {
  readonly origins: number;
  /** Forecast points compared (origins × horizon, less those past the end or at zero). */
  readonly points: number;
  readonly mape: number;
  readonly naiveMape: number;
  /** Share of actual values inside the interval. */
  readonly coverage: number;
  /** How often each kind won the AIC. */
  readonly kinds: Readonly<Record<string, number>>;
}

/** Backtests `values` (evenly spaced, oldest first); null when no origin fits. */
export function backtest(values: ArrayLike<number>, o: BacktestOptions): BacktestResult | null {
  let origins = 0;
  let points = 0;
  let ape = 0;
  let naiveApe = 0;
  let inside = 0;
  const kinds: Record<string, number> = {};
  for (let t = Math.max(o.from, 1); t < values.length; t += o.every) {
    const train = Array.prototype.slice.call(values, Math.max(0, t - o.train), t) as number[];
    const r = forecastValues(train, o);
    if (!r.ok) continue;
    origins++;
    kinds[r.forecast.kind] = (kinds[r.forecast.kind] ?? 0) + 1;
    const last = train[train.length - 1] as number;
    for (let h = 0; h < o.horizon && t + h < values.length; h++) {
      const y = values[t + h] as number;
      if (y === 0) continue;
      points++;
      ape += Math.abs(y - (r.forecast.mean[h] as number)) / Math.abs(y);
      naiveApe += Math.abs(y - last) / Math.abs(y);
      if (y >= (r.forecast.lower[h] as number) && y <= (r.forecast.upper[h] as number)) inside++;
    }
  }
  if (points === 0) return null;
  return { origins, points, mape: (100 * ape) / points, naiveMape: (100 * naiveApe) / points, coverage: inside / points, kinds };
}
