/**
 * One series watched for anomalies, one value at a time: what the hour usually shows, what the
 * last W values say, and a slow memory of both:
 *
 *   x ──▶ robust z against the last W values:  z = (x − median) / scale
 *     └─▶ robust z against this hour's profile (once every hour has two days of history): the
 *         point's z is the smaller of the two when they agree in sign, else 0 (consensus)
 *   z ──clip ±c──▶ EWMA(λ), normalised to unit variance: a small shift that lasts
 *   score = max(|z|, |EWMA|);  score ≥ threshold: anomalous;  first such point of an episode: event
 *
 * The scale is 1.4826·MAD, guarded where the MAD is 0 (a series that sits on one value most of
 * the time): the mean absolute deviation × 1.2533, then never below the smallest gap between two
 * values in the window (the data's resolution: whole degrees, 1/100 of utilization), 10⁻³ of its
 * level, and `minScale`. The window never holds the value being judged, so a jump from a flat
 * line is judged against the line's own resolution, not against the jump. Every value enters the window, so a lasting level shift is one episode: it is
 * absorbed once it fills half the window. The consensus needs a window that spans the
 * series' period (the default, 288 points, is a day of 5-minute points): a shorter one that
 * straddles a daily step is itself bimodal and hides what happens at the step.
 *
 * Pure and O(W) per value; memory about 8·W + 350 bytes (daily profile). Never throws after
 * construction; a non-finite value (or ≤ 0 under the log transform) is skipped (returns null).
 */
import type { AnomalyOptions } from './anomaly-options.ts';
import { DEFAULT_ANOMALY_OPTIONS } from './anomaly-options.ts';
import { RobustWindow } from './robust-window.ts';
import { SeasonalProfile } from './seasonal-profile.ts';

/** 1/Φ⁻¹(3/4): MAD × this estimates σ for normal data. */
const MAD_TO_SIGMA = 1.482602218505602;
const MEAN_ABS_TO_SIGMA = 1.2533141373155001;
const RELATIVE_FLOOR = 1e-3;

/** What one value was judged to be. Baseline and scale are in the detector's units (ln units under the log transform). */
export interface AnomalyVerdict {
  readonly ts: number;
  readonly value: number;
  /** max(|z|, |normalised EWMA|) in robust σ; 0 while warming up. */
  readonly score: number;
  readonly state: 'warmup' | 'normal' | 'anomalous';
  /** The first anomalous point of an episode: what becomes an anomaly event. */
  readonly event: boolean;
  /** The rolling median the value was compared with, in the series' own unit; null while warming up. */
  readonly baseline: number | null;
  readonly scale: number | null;
  /** Whether the seasonal profile took part. */
  readonly seasonal: boolean;
}

/** JSON-safe state for status pages. */
export interface AnomalyDetectorState {
  readonly points: number;
  readonly warm: boolean;
  readonly seasonalReady: boolean;
  readonly episodes: number;
  readonly inEpisode: boolean;
  readonly lastScore: number;
}

export class AnomalyDetector {
  readonly options: AnomalyOptions;
  private readonly window: RobustWindow;
  private readonly profile: SeasonalProfile | null;
  private readonly ewmaNorm: number;
  private ewma = 0;
  private points = 0;
  private inEpisode = false;
  private quiet = 0;
  private episodes = 0;
  private lastScore = 0;

  constructor(options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS) {
    this.options = options;
    this.window = new RobustWindow(options.window);
    this.profile = options.seasonality === 'none' ? null : new SeasonalProfile(options.seasonality, { utcOffsetMinutes: options.utcOffsetMinutes });
    this.ewmaNorm = Math.sqrt(options.lambda / (2 - options.lambda));
  }

  /** Judges `value` at `ts` (ms) and learns it; null when the value is skipped. */
  push(ts: number, value: number): AnomalyVerdict | null {
    const o = this.options;
    const x = o.transform === 'log' ? (value > 0 ? Math.log(value) : Number.NaN) : value;
    if (!Number.isFinite(x)) return null;
    this.points++;

    const w = this.window;
    if (w.size < w.capacity) {
      w.push(x);
      this.profile?.learn(ts, x, 0);
      return { ts, value, score: 0, state: 'warmup', event: false, baseline: null, scale: null, seasonal: false };
    }
    const m = w.median();
    const s = this.scaleOf(m, w.mad(m));
    let z = (x - m) / s;
    // Consensus: unusual against the last W values and against this hour, in the same direction.
    const zs = this.profile?.z(ts, x, s) ?? null;
    if (zs !== null) z = Math.sign(z) === Math.sign(zs) ? Math.sign(z) * Math.min(Math.abs(z), Math.abs(zs)) : 0;
    this.ewma = o.lambda * Math.max(-o.clip, Math.min(o.clip, z)) + (1 - o.lambda) * this.ewma;
    const score = Math.max(Math.abs(z), Math.abs(this.ewma) / this.ewmaNorm);
    w.push(x);
    this.profile?.learn(ts, x, s);

    let event = false;
    const anomalous = score >= o.threshold;
    if (anomalous) {
      this.quiet = 0;
      if (!this.inEpisode) {
        this.inEpisode = true;
        this.episodes++;
        event = true;
      }
    } else if (this.inEpisode && ++this.quiet >= o.quietPoints) this.inEpisode = false;
    this.lastScore = score;
    return { ts, value, score, state: anomalous ? 'anomalous' : 'normal', event, baseline: o.transform === 'log' ? Math.exp(m) : m, scale: s, seasonal: zs !== null };
  }

  state(): AnomalyDetectorState {
    return { points: this.points, warm: this.window.size === this.window.capacity, seasonalReady: this.profile?.ready ?? false, episodes: this.episodes, inEpisode: this.inEpisode, lastScore: this.lastScore };
  }

  /** The guarded robust scale (see the module comment). */
  private scaleOf(m: number, mad: number): number {
    let s = mad * MAD_TO_SIGMA;
    if (!(s > 0)) s = this.window.meanAbsDeviation(m) * MEAN_ABS_TO_SIGMA;
    const gap = this.window.smallestGap();
    const resolution = Number.isFinite(gap) ? gap : 0;
    return Math.max(s, resolution, RELATIVE_FLOOR * Math.abs(m), this.options.minScale, Number.MIN_VALUE);
  }
}
