/**
 * Exponential smoothing as innovations state-space models with additive errors (Hyndman, Koehler,
 * Ord & Snyder, "Forecasting with Exponential Smoothing", 2008), named as the book names them:
 * ETS(A,N,N) `ANN` (a level), ETS(A,A,N) `AAN` (Holt: level and trend), ETS(A,N,A) `ANA` (level
 * and season) and ETS(A,A,A) `AAA` (additive Holt-Winters), in error-correction form:
 *
 *   ŷ_t = ℓ + b + s_{t−m}      e_t = y_t − ŷ_t
 *   ℓ ← ℓ + b + α e_t          b ← b + β e_t          s_t = s_{t−m} + γ e_t
 *
 * Parameters are fitted by least one-step squared error over a grid inside the usual admissible
 * region (0 < α ≤ 1, 0 ≤ β ≤ α, 0 ≤ γ ≤ 1 − α). The h-step forecast variance is the book's
 * closed form for these class-1 models (Table 6.1), k = ⌊(h − 1)/m⌋:
 *
 *   ANN  σ²[1 + α²(h−1)]
 *   AAN  σ²[1 + (h−1)(α² + αβh + β²h(2h−1)/6)]
 *   ANA  σ²[1 + α²(h−1) + γk(2α + γ)]
 *   AAA  σ²[1 + (h−1)(α² + αβh + β²h(2h−1)/6) + γk(2α + γ + βm(k+1))]
 *
 * Pure; O(n) per parameter set tried, about 200 sets.
 */

export const ETS_KINDS = ['ANN', 'AAN', 'ANA', 'AAA'] as const;
export type EtsKind = (typeof ETS_KINDS)[number];

const hasTrend = (k: EtsKind): boolean => k === 'AAN' || k === 'AAA';
/** Whether a kind has a season (needs a season length). */
export const hasSeason = (k: EtsKind): boolean => k === 'ANA' || k === 'AAA';

/** A fitted model, its state after the last observation. */
export interface EtsModel {
  readonly kind: EtsKind;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** Season length m (1 without a season). */
  readonly period: number;
  readonly level: number;
  readonly trend: number;
  /** s for each phase of the cycle; the next observation has phase `phase`. */
  readonly season: readonly number[];
  readonly phase: number;
  /** Residual variance (one-step errors after the start-up points, per degree of freedom). */
  readonly sigma2: number;
  readonly n: number;
  /** Akaike's criterion on the one-step errors, to choose between kinds fitted to the same values. */
  readonly aic: number;
}

const ALPHAS = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const BETA_SHARES = [0, 0.01, 0.03, 0.1, 0.3];
// Up to 1: with a small α, γ near 1 is the seasonal naive forecast (yesterday at this time).
const GAMMA_SHARES = [0.01, 0.05, 0.15, 0.4, 0.7, 1];

/** Values needed to fit each kind (start-up plus enough errors to judge them). */
export function minimumPoints(kind: EtsKind, period = 1): number {
  return hasSeason(kind) ? 3 * period : hasTrend(kind) ? 12 : 6;
}

interface Start {
  readonly level: number;
  readonly trend: number;
  readonly season: Float64Array;
  /** Points used to form the start, not counted in the errors. */
  readonly burn: number;
}

function mean(y: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i] as number;
  return s / (to - from);
}

function start(y: ArrayLike<number>, kind: EtsKind, m: number): Start {
  if (hasSeason(kind)) {
    const a = mean(y, 0, m);
    const b = mean(y, m, 2 * m);
    const season = new Float64Array(m);
    for (let i = 0; i < m; i++) season[i] = ((y[i] as number) - a + (y[i + m] as number) - b) / 2;
    // The level and trend describe the point before the first, so the recursion starts at t = 0.
    const trend = hasTrend(kind) ? (b - a) / m : 0;
    return { level: (hasTrend(kind) ? a : (a + b) / 2) - trend * ((m + 1) / 2), trend, season, burn: m };
  }
  const k = hasTrend(kind) ? burnIn(kind, y.length) : Math.min(5, y.length);
  const first = mean(y, 0, k);
  const trend = hasTrend(kind) ? (mean(y, k, 2 * k) - first) / k : 0;
  return { level: first - trend * ((k + 1) / 2), trend, season: new Float64Array(1), burn: burnIn(kind, y.length) };
}

/** Runs the recursion; returns the sum of squared one-step errors after the burn-in, and the final state. */
function run(y: ArrayLike<number>, kind: EtsKind, m: number, s0: Start, alpha: number, beta: number, gamma: number): { sse: number; level: number; trend: number; season: Float64Array } {
  let level = s0.level;
  let trend = s0.trend;
  const season = s0.season.slice();
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const seasonal = hasSeason(kind);
    const j = seasonal ? t % m : 0;
    const s = seasonal ? (season[j] as number) : 0;
    const e = (y[t] as number) - (level + trend + s);
    if (t >= s0.burn) sse += e * e;
    level = level + trend + alpha * e;
    trend += beta * e;
    if (seasonal) season[j] = s + gamma * e;
  }
  return { sse, level, trend, season };
}

/** Points a kind uses to form its start: errors are counted after them. */
export function burnIn(kind: EtsKind, n: number, period = 1): number {
  return hasSeason(kind) ? period : hasTrend(kind) ? Math.max(2, Math.min(10, Math.floor(n / 4))) : 1;
}

/**
 * Fits one kind to `y` (evenly spaced, finite); null when there are too few values. Errors are
 * counted from `skip` on (at least the kind's own burn-in), so kinds fitted with the same `skip`
 * compare by AIC on the same points.
 */
export function fitEts(y: ArrayLike<number>, kind: EtsKind, period = 1, skip = 0): EtsModel | null {
  const m = hasSeason(kind) ? period : 1;
  if (hasSeason(kind) && (!Number.isInteger(m) || m < 2)) return null;
  if (y.length < minimumPoints(kind, m) || y.length - skip < 4) return null;
  const own = start(y, kind, m);
  const s0 = { ...own, burn: Math.max(own.burn, skip) };
  let best = { sse: Infinity, alpha: 1, beta: 0, gamma: 0 };
  for (const alpha of ALPHAS) {
    for (const bs of hasTrend(kind) ? BETA_SHARES : [0]) {
      for (const gs of hasSeason(kind) ? GAMMA_SHARES : [0]) {
        const beta = alpha * bs;
        const gamma = (1 - alpha) * gs;
        const { sse } = run(y, kind, m, s0, alpha, beta, gamma);
        if (sse < best.sse) best = { sse, alpha, beta, gamma };
      }
    }
  }
  const end = run(y, kind, m, s0, best.alpha, best.beta, best.gamma);
  const errors = y.length - s0.burn;
  const params = 1 + (hasTrend(kind) ? 1 : 0) + (hasSeason(kind) ? 1 : 0);
  const states = 1 + (hasTrend(kind) ? 1 : 0) + (hasSeason(kind) ? m - 1 : 0);
  const sigma2 = end.sse / Math.max(1, errors - params);
  const aic = errors * Math.log(Math.max(end.sse, Number.MIN_VALUE) / errors) + 2 * (params + states);
  return {
    kind, alpha: best.alpha, beta: best.beta, gamma: best.gamma, period: m,
    level: end.level, trend: end.trend, season: [...end.season], phase: y.length % m,
    sigma2, n: y.length, aic,
  };
}

/** Forecast mean and standard deviation for 1..h steps after the last observation. */
export function forecastEts(model: EtsModel, h: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(h);
  const sd = new Float64Array(h);
  const { alpha: a, beta: b, gamma: g, period: m } = model;
  for (let i = 1; i <= h; i++) {
    const seasonal = hasSeason(model.kind);
    const s = seasonal ? (model.season[(model.phase + i - 1) % m] as number) : 0;
    mean[i - 1] = model.level + i * model.trend + s;
    const k = seasonal ? Math.floor((i - 1) / m) : 0;
    let v: number;
    if (hasTrend(model.kind)) v = 1 + (i - 1) * (a * a + a * b * i + (b * b * i * (2 * i - 1)) / 6) + g * k * (2 * a + g + b * m * (k + 1));
    else v = 1 + a * a * (i - 1) + g * k * (2 * a + g);
    sd[i - 1] = Math.sqrt(model.sigma2 * v);
  }
  return { mean, sd };
}
