/**
 * What a series usually does at this time of day (or of the week): one robust location and scale
 * per hour bucket, learnt online, read both between bucket centres (linear interpolation) and as
 * the hour's own bucket. It answers only once every bucket has been seen in at least
 * `minPeriods` distinct days (weeks): before that, "unusual for this hour" has no meaning.
 *
 *   hour-of-day buckets   0    1    2   …   23        a point at 01:40 is read against 5/6 of
 *   centres              :30  1:30 2:30 …  23:30      bucket 1 + 1/6 of bucket 2, and against
 *                                                     bucket 1 alone; it updates bucket 1
 *
 * Updates are Huber-style: the residual is clipped at `clip` scales before it moves the location,
 * so an anomaly cannot teach the profile that it is normal. Memory: 20 bytes per bucket.
 */

export const SEASONALITIES = ['none', 'daily', 'weekly'] as const;
export type Seasonality = (typeof SEASONALITIES)[number];

const HOUR = 3_600_000;
/** Consistency factor: mean absolute deviation × √(π/2) estimates σ for normal data. */
const MEAN_ABS_TO_SIGMA = 1.2533141373155001;

export class SeasonalProfile {
  readonly buckets: number;
  private readonly periodMs: number;
  private readonly offsetMs: number;
  private readonly minPeriods: number;
  private readonly memoryPeriods: number;
  private readonly clip: number;
  /**
   * Per bucket b, at 4b: location, scale, points taken (the learning rate starts at 1/count;
   * saturates at 65,535), distinct periods seen (saturates at 255); and the last period seen in
   * `lastPeriod`. Two allocations per profile, whatever the bucket count.
   */
  private readonly state: Float32Array;
  private readonly lastPeriod: Int32Array;
  private unseen: number;

  /**
   * `kind` daily (24 buckets) or weekly (168); `utcOffsetMinutes` shifts the day to local time;
   * a bucket forgets with a memory of about `memoryPeriods` periods.
   */
  constructor(kind: Exclude<Seasonality, 'none'>, options: { utcOffsetMinutes?: number; minPeriods?: number; memoryPeriods?: number; clip?: number } = {}) {
    this.buckets = kind === 'daily' ? 24 : 168;
    this.periodMs = this.buckets * HOUR;
    this.offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
    this.minPeriods = options.minPeriods ?? 2;
    this.memoryPeriods = options.memoryPeriods ?? 4;
    this.clip = options.clip ?? 3;
    this.state = new Float32Array(4 * this.buckets);
    this.lastPeriod = new Int32Array(this.buckets).fill(-1);
    this.unseen = this.buckets;
  }

  /** True once every bucket has been seen in `minPeriods` distinct periods. */
  get ready(): boolean {
    return this.unseen === 0;
  }

  /**
   * How far `x` at `ts` is from what this time usually shows, in the profile's scales (never
   * smaller than `guard`), or null while not ready. Read two ways, the nearer answering: between
   * bucket centres (a ramp through the hour) and the hour's own bucket (a step on the hour, such
   * as a working day starting at 09:00).
   */
  z(ts: number, x: number, guard: number): number | null {
    if (!this.ready) return null;
    const phase = this.phase(ts) / HOUR;
    const own = Math.floor(phase);
    const p = phase - 0.5;
    const f = Math.floor(p);
    const w = p - f;
    const b0 = (f + this.buckets) % this.buckets;
    const b1 = (b0 + 1) % this.buckets;
    const st = this.state;
    const between = (1 - w) * (st[4 * b0] as number) + w * (st[4 * b1] as number);
    const betweenScale = Math.max(guard, (1 - w) * (st[4 * b0 + 1] as number) + w * (st[4 * b1 + 1] as number));
    const zBetween = (x - between) / betweenScale;
    const zOwn = (x - (st[4 * own] as number)) / Math.max(guard, st[4 * own + 1] as number);
    return Math.abs(zOwn) < Math.abs(zBetween) ? zOwn : zBetween;
  }

  /** Learns `x` at `ts`; `guard` is the series' current robust scale, the least a residual is clipped at. */
  learn(ts: number, x: number, guard: number): void {
    const b = Math.floor(this.phase(ts) / HOUR);
    const st = this.state;
    const period = Math.floor((ts + this.offsetMs) / this.periodMs);
    if (this.lastPeriod[b] !== period) {
      this.lastPeriod[b] = period;
      const seen = st[4 * b + 3] as number;
      if (seen < 255) st[4 * b + 3] = seen + 1;
      if (seen + 1 === this.minPeriods) this.unseen--;
    }
    const n = Math.min(65_535, (st[4 * b + 2] as number) + 1);
    st[4 * b + 2] = n;
    if (n === 1) {
      st[4 * b] = x;
      st[4 * b + 1] = 0;
      return;
    }
    // Points per period in this bucket, so the memory is in periods whatever the sampling rate.
    const perPeriod = n / Math.max(1, st[4 * b + 3] as number);
    const rate = Math.max(1 / n, 1 / (perPeriod * this.memoryPeriods));
    const location = st[4 * b] as number;
    const scale = st[4 * b + 1] as number;
    const r = x - location;
    const limit = this.clip * Math.max(scale, guard);
    const clipped = limit > 0 ? Math.max(-limit, Math.min(limit, r)) : r;
    st[4 * b] = location + rate * clipped;
    st[4 * b + 1] = scale + rate * (Math.abs(clipped) * MEAN_ABS_TO_SIGMA - scale);
  }

  private phase(ts: number): number {
    const p = (ts + this.offsetMs) % this.periodMs;
    return p < 0 ? p + this.periodMs : p;
  }
}
