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
  /** The oldest ts and intake id held: `plan` skips a series whose points all lie in its open window. */
  minTs = Number.POSITIVE_INFINITY;
  minIntake = Number.POSITIVE_INFINITY;

  /** Makes room for `more` points. */
  reserve(more: number): void {
    if (this.n + more <= this.ts.length) return;
    let size = this.ts.length * 2;
    while (size < this.n + more) size *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.ts = grow(this.ts);
    this.values = grow(this.values);
    this.intake = grow(this.intake);
  }

  push(t: number, v: number, intakeId: number): void {
    if (this.n === this.ts.length) this.reserve(1);
    this.ts[this.n] = t;
    this.values[this.n] = v;
    this.intake[this.n] = intakeId;
    this.n++;
    if (t > this.maxTs) this.maxTs = t;
    if (t < this.minTs) this.minTs = t;
    if (intakeId < this.minIntake) this.minIntake = intakeId;
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

  /**
   * Appends `count` points of a batch frame's columns, from sample `start` on: ts = t0 + dt[k],
   * the value the float64 little-endian at byte 8·k of `v` (finite, as the validator guarantees,
   * so reading it as a number keeps its bits).
   */
  appendColumns(seriesId: number, t0: number, dt: readonly number[], v: DataView, start: number, count: number, intakeId: number): void {
    let s = this.bySeries.get(seriesId);
    if (s === undefined) {
      s = new HeadSeries();
      this.bySeries.set(seriesId, s);
    }
    s.reserve(count);
    const { ts, values, intake } = s;
    let n = s.n;
    let maxTs = s.maxTs;
    let minTs = s.minTs;
    for (let k = start, end = start + count; k < end; k++, n++) {
      const t = t0 + (dt[k] as number);
      ts[n] = t;
      values[n] = v.getFloat64(k * 8, true);
      intake[n] = intakeId;
      if (t > maxTs) maxTs = t;
      if (t < minTs) minTs = t;
    }
    s.n = n;
    s.maxTs = maxTs;
    s.minTs = minTs;
    if (intakeId < s.minIntake) s.minIntake = intakeId;
    this.total += count;
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

  /**
   * Picks the points of closed windows (see the module comment) whose intake record holds no
   * point that stays: the watermark W is the oldest record of a point in an open window, and
   * only closed points of records below W are cut. So after the chunks commit and the records
   * below W are deleted, no record left has a point in a chunk, and a replay after a crash
   * duplicates nothing (a group commit's record spans many ticks, so it can straddle a window).
   * Changes nothing.
   */
  plan(now: number, graceMs: number, everything = false): CutPlan {
    const out: CutSeries[] = [];
    let watermark = Number.POSITIVE_INFINITY;
    const closing: [number, HeadSeries, number, boolean][] = [];
    for (const [seriesId, s] of this.bySeries) {
      const openWindow = Math.floor(s.maxTs / WINDOW_MS);
      const all = everything || s.n > MAX_HEAD_POINTS || (openWindow + 1) * WINDOW_MS + graceMs <= now;
      if (!all && Math.floor(s.minTs / WINDOW_MS) >= openWindow) {
        // Every point is in the open window: nothing to cut, no need to look at them.
        if (s.minIntake < watermark) watermark = s.minIntake;
        continue;
      }
      if (!all) for (let i = 0; i < s.n; i++) if (Math.floor((s.ts[i] as number) / WINDOW_MS) >= openWindow && (s.intake[i] as number) < watermark) watermark = s.intake[i] as number;
      closing.push([seriesId, s, openWindow, all]);
    }
    let points = 0;
    for (const [seriesId, s, openWindow, all] of closing) {
      const idx: number[] = [];
      for (let i = 0; i < s.n; i++) if (cut(s, i, openWindow, all, watermark)) idx.push(i);
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
      let k = 0;
      let minTs = Number.POSITIVE_INFINITY;
      let minIntake = Number.POSITIVE_INFINITY;
      const vb = new Uint32Array(s.values.buffer);
      for (let i = 0; i < s.n; i++) {
        if (cut(s, i, openWindow, all, plan.watermark)) continue;
        const t = s.ts[i] as number;
        s.ts[k] = t;
        vb[2 * k] = vb[2 * i] as number;
        vb[2 * k + 1] = vb[2 * i + 1] as number;
        s.intake[k] = s.intake[i] as number;
        if (t < minTs) minTs = t;
        if ((s.intake[k] as number) < minIntake) minIntake = s.intake[k] as number;
        k++;
      }
      this.total -= s.n - k;
      s.n = k;
      s.minTs = minTs;
      s.minIntake = minIntake;
      if (k === 0) this.bySeries.delete(c.seriesId);
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

/** Whether point i of a series is cut by a plan with this watermark (see plan). */
function cut(s: HeadSeries, i: number, openWindow: number, all: boolean, watermark: number): boolean {
  return (all || Math.floor((s.ts[i] as number) / WINDOW_MS) < openWindow) && (s.intake[i] as number) < watermark;
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
