/**
 * One watched series: its recent observations, a robust baseline of them, and whether its
 * current level has moved away from that baseline and stayed there.
 *
 *   observations (ring, oldest → newest; probe points, or 10 s bucket means of telemetry)
 *   ┌──────── baseline (robust-level.ts) ─────────────┬── guard ──┬─ window ─┐
 *   │ in-control observations older than the guard    │ (2 min)   │ last k   │
 *   └─────────────────────────────────────────────────┴───────────┴──────────┘
 *
 *   learning ──baseline ready──▶ in_control ──z ≥ openZ and shifts ≥ min, twice──▶ shifted
 *      in_control ◀──z < closeZ or shift < min/2, twice── shifted        (stale: no fresh data)
 *
 * The guard keeps a shift that has just begun out of the baseline it is judged against; once a
 * shift is confirmed, its observations from the estimated onset on are flagged and never enter
 * a baseline, so a long incident does not teach the baseline that slow is normal, until it
 * has lasted `rebaselineAfterMs`: then the new level is the normal one. Not thread-safe; owned
 * by the detector.
 */
import type { IncidentEvidence } from '@sigmascope/protocol/incident';
import type { Labels } from '@sigmascope/protocol/series';
import { baselineOf, shiftZ, windowLevel } from './robust-level.ts';
import type { Baseline } from './robust-level.ts';
import type { SignalSpec } from './signal-catalog.ts';

export type WatchState = 'learning' | 'in_control' | 'shifted' | 'stale';

/** How a watch judges; one set for probe series, one for telemetry buckets (detector-options.ts). */
export interface WatchThresholds {
  /** Median-shift z (standard errors of the window's median) that opens a shift. */
  readonly openZ: number;
  /** Below this z (or below half the minimum shift) a shift is over. */
  readonly closeZ: number;
  /** Observations in the current window. */
  readonly window: number;
  /** Observations a baseline needs. */
  readonly minBaseline: number;
  /** The newest observations kept out of the baseline (ms). */
  readonly guardMs: number;
  /** How far back the baseline reaches before the guard (ms). */
  readonly baselineMs: number;
  /** How often an in-control baseline is recomputed (ms). */
  readonly refreshMs: number;
  /** No observation for this long: stale (ms). */
  readonly staleMs: number;
  /** A shift that lasts this long becomes the baseline (ms). */
  readonly rebaselineAfterMs: number;
  /** Observations kept. */
  readonly capacity: number;
}

/** Consecutive judgements needed to change state either way. */
const CONFIRM = 2;

export class SeriesWatch {
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
  readonly spec: SignalSpec;
  private readonly t: WatchThresholds;
  // The ring: seconds since the epoch, judged values, and the flag of observations inside a shift.
  private readonly ts: Uint32Array;
  private readonly v: Float32Array;
  private readonly flagged: Uint8Array;
  private start = 0;
  private count = 0;
  private fresh = 0;
  private bucket = -1;
  private bucketSum = 0;
  private bucketN = 0;
  private base: Baseline | null = null;
  private baseAt = Number.NEGATIVE_INFINITY;
  /** Spreads the series' baseline refreshes over the refresh period, so that they do not all fall on one pass. */
  private readonly stagger: number;
  private streak = 0;
  /** The current window's median and trimmed mean (judged units). */
  private current = { median: 0, trimmedMean: 0 };
  state: WatchState = 'learning';
  /** Estimated start of the current shift (ms), while shifted. */
  onset: number | null = null;
  /** When the current shift was confirmed (ms), while shifted. */
  shiftedAt: number | null = null;

  constructor(agent: string, name: string, labels: Labels, spec: SignalSpec, thresholds: WatchThresholds) {
    this.agent = agent;
    this.name = name;
    this.labels = labels;
    this.spec = spec;
    this.t = thresholds;
    this.ts = new Uint32Array(thresholds.capacity);
    this.v = new Float32Array(thresholds.capacity);
    this.flagged = new Uint8Array(thresholds.capacity);
    const id = `${agent}\u0000${name}\u0000${JSON.stringify(labels)}`;
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
    this.stagger = (Math.abs(h) % 1000) / 1000;
  }

  /** Adds stored points (ascending ts, in the series' unit). Telemetry goes through its buckets. */
  add(ts: ArrayLike<number>, values: ArrayLike<number>): void {
    const bucketMs = this.spec.bucketMs;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i] as number;
      const x = this.judged(values[i] as number);
      if (!Number.isFinite(x)) continue;
      if (bucketMs === 0) {
        this.push(t, x);
        continue;
      }
      const b = Math.floor(t / bucketMs);
      if (b !== this.bucket) {
        if (this.bucketN > 0 && b > this.bucket) this.push(this.bucket * bucketMs, this.bucketSum / this.bucketN);
        if (b < this.bucket) continue; // a late point of a bucket already judged
        this.bucket = b;
        this.bucketSum = 0;
        this.bucketN = 0;
      }
      this.bucketSum += x;
      this.bucketN++;
    }
  }

  private judged(value: number): number {
    return this.spec.scale === 'log' ? Math.log(Math.max(value, 1e-6)) : value;
  }

  private back(x: number): number {
    return this.spec.scale === 'log' ? Math.exp(x) : x;
  }

  private push(tMs: number, x: number): void {
    const cap = this.t.capacity;
    const i = (this.start + this.count) % cap;
    if (this.count === cap) this.start = (this.start + 1) % cap;
    else this.count++;
    this.ts[i] = Math.floor(tMs / 1000);
    this.v[i] = x;
    this.flagged[i] = this.state === 'shifted' ? 1 : 0;
    this.fresh++;
  }

  /** The k-th observation from the oldest. */
  private at(k: number): number {
    return (this.start + k) % this.t.capacity;
  }

  /** Newest observation's time (ms), or null. */
  get newest(): number | null {
    return this.count === 0 ? null : (this.ts[this.at(this.count - 1)] as number) * 1000;
  }

  /**
   * Judges the series at `now` (collector clock) on what it has been given so far. A state
   * changes only on observations that are new since the last call.
   */
  evaluate(now: number): WatchState {
    const newest = this.newest;
    if (newest === null || newest < now - this.t.staleMs) {
      if (this.state === 'shifted') this.endShift();
      this.state = this.base === null ? 'learning' : 'stale';
      return this.state;
    }
    if (this.state === 'stale') this.state = 'in_control';
    if (this.fresh === 0) return this.state;
    this.fresh = 0;
    if (this.state !== 'shifted' && this.streak === 0 && (this.base === null || now - this.baseAt >= this.t.refreshMs)) this.rebase(newest, now);
    const base = this.base;
    if (base === null || this.count < this.t.window) {
      this.state = 'learning';
      return this.state;
    }
    const recent = new Float64Array(this.t.window);
    for (let j = 0, k = this.count - this.t.window; k < this.count; k++, j++) recent[j] = this.v[this.at(k)] as number;
    this.current = windowLevel(recent);
    const dir = this.spec.direction;
    const z = dir * shiftZ(this.current.trimmedMean, base, this.t.window);
    // Both the trimmed mean and the median must have moved: a cluster of slow runs in the tail moves the mean, not the median.
    const effect = Math.min(dir * (this.current.trimmedMean - base.mean), dir * (this.current.median - base.median));
    if (this.state === 'shifted') {
      if (now - (this.shiftedAt as number) >= this.t.rebaselineAfterMs) return this.acceptLevel(newest, now);
      this.streak = z < this.t.closeZ || effect < this.spec.minShift / 2 ? this.streak + 1 : 0;
      if (this.streak >= CONFIRM) this.endShift();
      return this.state;
    }
    this.state = 'in_control';
    this.streak = z >= this.t.openZ && effect >= this.spec.minShift ? this.streak + 1 : 0;
    if (this.streak >= CONFIRM) this.beginShift(now, effect);
    return this.state;
  }

  /** Baseline over in-control observations older than the guard. */
  private rebase(newest: number, now: number): void {
    const until = (newest - this.t.guardMs) / 1000;
    const since = until - this.t.baselineMs / 1000;
    const picked = new Float64Array(this.count);
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const i = this.at(k);
      const s = this.ts[i] as number;
      if (s >= since && s < until && this.flagged[i] === 0) picked[n++] = this.v[i] as number;
    }
    if (n < this.t.minBaseline) return;
    const xs = picked.subarray(0, n);
    const first = this.base === null;
    this.base = baselineOf(xs, this.spec.floor);
    this.baseAt = first ? now - this.stagger * this.t.refreshMs : now;
  }

  private beginShift(now: number, effect: number): void {
    this.state = 'shifted';
    this.streak = 0;
    this.shiftedAt = now;
    // Onset: walking back from the newest, the earliest observation beyond half the shift, until two in a row are not.
    const base = (this.base as Baseline).mean;
    const dir = this.spec.direction;
    let onsetK = this.count - 1;
    let misses = 0;
    for (let k = this.count - 1; k >= 0 && misses < 2; k--) {
      if (dir * ((this.v[this.at(k)] as number) - base) >= effect / 2) {
        onsetK = k;
        misses = 0;
      } else misses++;
    }
    for (let k = onsetK; k < this.count; k++) this.flagged[this.at(k)] = 1;
    this.onset = (this.ts[this.at(onsetK)] as number) * 1000;
  }

  private endShift(): void {
    this.state = 'in_control';
    this.streak = 0;
    this.onset = null;
    this.shiftedAt = null;
  }

  /** A shift that outlived rebaselineAfterMs: its level becomes the baseline. */
  private acceptLevel(newest: number, now: number): WatchState {
    this.flagged.fill(0);
    this.endShift();
    this.base = null;
    this.rebase(newest + this.t.guardMs, now);
    return this.state;
  }

  /** Baseline against current, for an incident's evidence; null while learning. */
  evidence(): IncidentEvidence | null {
    const base = this.base;
    if (base === null || this.count < this.t.window) return null;
    const d = this.current.median - base.median;
    // Latencies shift by a ratio (the contract's `shift`); everything else, power and clocks too, by a difference in its unit.
    const latency = this.spec.role === 'probe' || this.name.startsWith('gen_ai.server.time_');
    const shift = latency ? Math.exp(d) : this.back(this.current.median) - this.back(base.median);
    return { agent: this.agent, name: this.name, labels: this.labels, baseline: this.back(base.median), current: this.back(this.current.median), shift, score: d / base.mad };
  }
}
