/**
 * The hot head: per series, the accepted points not yet in chunks, in arrival order, each with the
 * intake record it came from. Queries read it directly, so a sample is queryable as soon as
 * storeBatch returns.
 *
 *   series 7:  ts      [ …12:00:58.5  12:00:59.0 | 12:01:00.0  12:01:00.5 ]
 *              intake  [   41          42        |   43          44       ]
 *                       └ window 12:00 closed ──┘ └ window 12:01 open ─────┘
 *
 * A window (WINDOW_MS, aligned on the sample clock) closes when a later window has points in the
 * same series, when it ended more than `graceMs` ago on the collector clock, or when the series
 * holds more than MAX_HEAD_POINTS. `plan` picks the closed points; `commit` drops them after the
 * chunk transaction committed. The intake watermark is the oldest record still referenced.
 */

/** Raw chunks cover one minute of one series. */
export const WINDOW_MS = 60_000;
const MAX_HEAD_POINTS = 8_192;

class HeadSeries {
  ts: Float64Array = new Float64Array(16);
  values: Float64Array = new Float64Array(16);
  intake: Float64Array = new Float64Array(16);
  n = 0;
  maxTs = Number.NEGATIVE_INFINITY;

  push(t: number, v: number, intakeId: number): void {
    if (this.n === this.ts.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.ts = grow(this.ts);
      this.values = grow(this.values);
      this.intake = grow(this.intake);
    }
    this.ts[this.n] = t;
    this.values[this.n] = v;
    this.intake[this.n] = intakeId;
    this.n++;
    if (t > this.maxTs) this.maxTs = t;
  }
}

/** Points of one series picked for chunks: sorted by ts (stable), with the window of each run. */
export interface CutSeries {
  readonly seriesId: number;
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

export interface CutPlan {
  readonly series: CutSeries[];
  /** Intake records below this id hold no point that stays in the head after the cut. */
  readonly watermark: number;
  readonly points: number;
}

export class Head {
  private readonly bySeries = new Map<number, HeadSeries>();
  private total = 0;

  /** Points held (not yet in chunks). */
  get size(): number {
    return this.total;
  }

  /** Appends an accepted batch's points for one series (bits copied as they are). */
  append(seriesId: number, ts: Float64Array, values: Float64Array, intakeId: number): void {
    let s = this.bySeries.get(seriesId);
    if (s === undefined) {
      s = new HeadSeries();
      this.bySeries.set(seriesId, s);
    }
    const start = s.n;
    for (let i = 0; i < ts.length; i++) s.push(ts[i] as number, 0, intakeId);
    s.values.set(values, start);
    this.total += ts.length;
  }

  /** Copies of a series' head points with ts in [from, to], sorted by ts (stable). */
  range(seriesId: number, from: number, to: number): { ts: Float64Array; values: Float64Array } {
    const s = this.bySeries.get(seriesId);
    if (s === undefined) return { ts: new Float64Array(0), values: new Float64Array(0) };
    const idx: number[] = [];
    for (let i = 0; i < s.n; i++) {
      const t = s.ts[i] as number;
      if (t >= from && t <= to) idx.push(i);
    }
    idx.sort((a, b) => (s.ts[a] as number) - (s.ts[b] as number) || a - b);
    const ts = new Float64Array(idx.length);
    const values = new Float64Array(idx.length);
    idx.forEach((i, k) => (ts[k] = s.ts[i] as number));
    copyBits(s.values, values, idx);
    return { ts, values };
  }

  /** Picks every point of a closed window (see the module comment); changes nothing. */
  plan(now: number, graceMs: number, everything = false): CutPlan {
    const out: CutSeries[] = [];
    let watermark = Number.POSITIVE_INFINITY;
    let points = 0;
    for (const [seriesId, s] of this.bySeries) {
      const openWindow = Math.floor(s.maxTs / WINDOW_MS);
      const all = everything || s.n > MAX_HEAD_POINTS || (openWindow + 1) * WINDOW_MS + graceMs <= now;
      const idx: number[] = [];
      for (let i = 0; i < s.n; i++) {
        if (all || Math.floor((s.ts[i] as number) / WINDOW_MS) < openWindow) idx.push(i);
        else if ((s.intake[i] as number) < watermark) watermark = s.intake[i] as number;
      }
      if (idx.length === 0) continue;
      idx.sort((a, b) => (s.ts[a] as number) - (s.ts[b] as number) || a - b);
      const ts = new Float64Array(idx.length);
      const values = new Float64Array(idx.length);
      idx.forEach((i, k) => (ts[k] = s.ts[i] as number));
      copyBits(s.values, values, idx);
      out.push({ seriesId, ts, values });
      points += idx.length;
    }
    return { series: out, watermark, points };
  }

  /** Drops the points a committed plan wrote. Call only after the chunk transaction committed. */
  commit(plan: CutPlan, now: number, graceMs: number, everything = false): void {
    for (const c of plan.series) {
      const s = this.bySeries.get(c.seriesId);
      if (s === undefined) continue;
      const openWindow = Math.floor(s.maxTs / WINDOW_MS);
      const all = everything || s.n > MAX_HEAD_POINTS || (openWindow + 1) * WINDOW_MS + graceMs <= now;
      if (all) {
        this.total -= s.n;
        this.bySeries.delete(c.seriesId);
        continue;
      }
      let k = 0;
      const vb = new Uint32Array(s.values.buffer);
      for (let i = 0; i < s.n; i++) {
        if (Math.floor((s.ts[i] as number) / WINDOW_MS) < openWindow) continue;
        s.ts[k] = s.ts[i] as number;
        vb[2 * k] = vb[2 * i] as number;
        vb[2 * k + 1] = vb[2 * i + 1] as number;
        s.intake[k] = s.intake[i] as number;
        k++;
      }
      this.total -= s.n - k;
      s.n = k;
    }
  }

  /** Last point by ts of a series in the head, or null. */
  latest(seriesId: number): [number, number] | null {
    const s = this.bySeries.get(seriesId);
    if (s === undefined || s.n === 0) return null;
    let best = 0;
    for (let i = 1; i < s.n; i++) if ((s.ts[i] as number) >= (s.ts[best] as number)) best = i;
    return [s.ts[best] as number, s.values[best] as number];
  }

  /** Every series id with points in the head. */
  seriesIds(): IterableIterator<number> {
    return this.bySeries.keys();
  }
}

function copyBits(src: Float64Array, dst: Float64Array, idx: readonly number[]): void {
  const a = new Uint32Array(src.buffer, src.byteOffset, src.length * 2);
  const b = new Uint32Array(dst.buffer, dst.byteOffset, dst.length * 2);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    b[2 * k] = a[2 * i] as number;
    b[2 * k + 1] = a[2 * i + 1] as number;
  }
}
