/**
 * How a series is watched for anomalies, and the one validation every caller uses (agent config,
 * collector config, `sigmascope detect` flags, API parameters): a bad value comes back naming the
 * option, never as an exception.
 */
import { SEASONALITIES, type Seasonality } from './seasonal-profile.ts';

export const ANOMALY_TRANSFORMS = ['none', 'log'] as const;
export type AnomalyTransform = (typeof ANOMALY_TRANSFORMS)[number];

export interface AnomalyOptions {
  /** Points in the rolling robust baseline (median and MAD); also the warm-up length. */
  readonly window: number;
  /** A point whose score reaches this is anomalous (score unit: robust σ). */
  readonly threshold: number;
  /** EWMA weight of the residuals (0 < λ ≤ 1): small λ finds small sustained shifts. */
  readonly lambda: number;
  /** Residuals are clipped at ±clip σ before they enter the EWMA, so one spike cannot carry it. */
  readonly clip: number;
  /** Points below the threshold that end an episode; the next anomalous point is a new event. */
  readonly quietPoints: number;
  /** Hour-of-day or hour-of-week profile, used once every hour has two periods of history. */
  readonly seasonality: Seasonality;
  /** Local time for the seasonal profile, in minutes east of UTC. */
  readonly utcOffsetMinutes: number;
  /** `log`: detect on ln(value) (latency is right-skewed); values ≤ 0 are then skipped. */
  readonly transform: AnomalyTransform;
  /** The least scale in chart units, for series whose noise is known to be at least this. */
  readonly minScale: number;
}

/**
 * Defaults tuned on the NAB tuning files (`npm run bench:nab -- --tune`, docs/analytics.md): a
 * window of 288 points (a day at NAB's 5-minute steps), the daily profile, a fast EWMA (λ 0.3),
 * anomalies from 4.25 robust σ, an episode ending after 144 quiet points. The live watches (agent, collector) keep
 * the rest and shorten the window to what their memory allows (docs/analytics.md).
 */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = Object.freeze({
  window: 288,
  threshold: 4.25,
  lambda: 0.3,
  clip: 4,
  quietPoints: 144,
  seasonality: 'daily',
  utcOffsetMinutes: 0,
  transform: 'none',
  minScale: 0,
});

/**
 * The live watches' defaults (agent and collector): the threshold where in-control normal data
 * gives no event in 400,000 points (the NAB-tuned 4.25 gives one per 15,000), a 90-point window
 * (15 min of the agent's 10 s points, 1.5 h of the collector's minutes), episodes of 30 points.
 */
export const LIVE_ANOMALY_OPTIONS: AnomalyOptions = Object.freeze({ ...DEFAULT_ANOMALY_OPTIONS, window: 90, threshold: 6, quietPoints: 30 });

export type AnomalyOptionsResult = { readonly ok: true; readonly options: AnomalyOptions } | { readonly ok: false; readonly where: keyof AnomalyOptions | 'options'; readonly error: string };

const LIMITS: Record<'window' | 'quietPoints' | 'utcOffsetMinutes', readonly [number, number]> = {
  window: [5, 10_000],
  quietPoints: [0, 1_000_000],
  utcOffsetMinutes: [-840, 840],
};

/** Defaults overlaid with `raw`'s fields, each checked; unknown fields are refused. */
export function anomalyOptions(raw: Readonly<Record<string, unknown>> = {}, base: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS): AnomalyOptionsResult {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (!(k in base)) return { ok: false, where: 'options', error: `unknown option ${JSON.stringify(k)} (known: ${Object.keys(base).join(', ')})` };
    const key = k as keyof AnomalyOptions;
    const bad = (why: string): AnomalyOptionsResult => ({ ok: false, where: key, error: `${JSON.stringify(v)} ${why}` });
    switch (key) {
      case 'window':
      case 'quietPoints':
      case 'utcOffsetMinutes': {
        const [lo, hi] = LIMITS[key];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) return bad(`is not an integer in [${lo}, ${hi}]`);
        break;
      }
      case 'threshold':
      case 'clip':
        if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1_000) return bad('is not a number in (0, 1000]');
        break;
      case 'lambda':
        if (typeof v !== 'number' || !(v > 0 && v <= 1)) return bad('is not a number in (0, 1]');
        break;
      case 'minScale':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return bad('is not a number ≥ 0');
        break;
      case 'seasonality':
        if (!(SEASONALITIES as readonly unknown[]).includes(v)) return bad(`is not one of ${SEASONALITIES.join(', ')}`);
        break;
      case 'transform':
        if (!(ANOMALY_TRANSFORMS as readonly unknown[]).includes(v)) return bad(`is not one of ${ANOMALY_TRANSFORMS.join(', ')}`);
        break;
    }
    out[key] = v;
  }
  return { ok: true, options: Object.freeze(out) as unknown as AnomalyOptions };
}
