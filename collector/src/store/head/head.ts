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
 * holds more than MAX_HEAD_POINTS. `startCut` fixes the intake watermark (the oldest record of a
 * point in an open window) and the series to cut; `cutOf` copies a series' points below it and
 * `drop` removes them once their chunks committed, series by series (a flush works in slices).
 */

/** Raw chunks cover one minute of one series. */
export const WINDOW_MS = 60_000;
const MAX_HEAD_POINTS = 8_192;
/**
 * A new series starts with room for 16 to 47 points (spread by id, so that 50,000 series that
 * start together do not all grow in the same tick); its first growth sizes it for GROW_FOR_MS at
 * its observed rate, so a steady series grows once, not 16 → 32 → 64 → 128 in lockstep.
 */
const FIRST_CAPACITY = 16;
const CAPACITY_SPREAD = 32;
const GROW_FOR_MS = 75_000;
/**
 * A series whose points all went to chunks keeps its arrays for this many cuts (about a minute
 * of per-second flushes) before the head forgets it: a live series that is empty between two
 * flushes (a backlog sent faster than real time) would otherwise start small and grow again.
 */
const KEEP_EMPTY_CUTS = 60;

/** One series' points in the head. Exported for HeadSlots; only Head reads or changes it. */
export class HeadSeries {
  ts: Float64Array;
  values: Float64Array;
  intake: Float64Array;
  n = 0;
  maxTs = Number.NEGATIVE_INFINITY;
  /** The oldest ts and intake id held: a flush skips a series whose records are all still needed. */
  minTs = Number.POSITIVE_INFINITY;
  minIntake = Number.POSITIVE_INFINITY;
  /** The open window (that of maxTs) and the oldest intake id of its points. */
  openWindow = Number.NEGATIVE_INFINITY;
  openMinIntake = Number.POSITIVE_INFINITY;
  /** The cut count when its last point went to chunks (it is empty since), or -1. */
  emptiedAtCut = -1;
  /** Forgotten by the head (empty for KEEP_EMPTY_CUTS cuts): a slot that holds it must look again. */
  removed = false;
  /** Every point held came at or after the one before it (the usual case): `after` can search instead of scan. */
  ordered = true;
  /** The ts of the point appended last (the order check of `ordered`). */
  lastTs = Number.NEGATIVE_INFINITY;

  constructor(seriesId: number) {
    const size = FIRST_CAPACITY + (seriesId % CAPACITY_SPREAD);
    this.ts = new Float64Array(size);
    this.values = new Float64Array(size);
    this.intake = new Float64Array(size);
  }

  /** Makes room for `more` points. */
  reserve(more: number): void {
    if (this.n + more <= this.ts.length) return;
    let size = this.ts.length * 2;
    const span = this.maxTs - this.minTs;
    if (this.n >= 2 && span > 0) size = Math.max(size, Math.ceil((this.n * GROW_FOR_MS) / span));
    size = Math.min(Math.max(size, this.n + more), Math.max(this.n + more, 2 * MAX_HEAD_POINTS));
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.ts = grow(this.ts);
    this.values = grow(this.values);
    this.intake = grow(this.intake);
  }

  /** Bookkeeping of one appended point (ts and intake already stored). */
  noted(t: number, intakeId: number): void {
    if (t < this.lastTs) this.ordered = false;
    this.lastTs = t;
    if (t > this.maxTs) this.maxTs = t;
    if (t < this.minTs) this.minTs = t;
    if (intakeId < this.minIntake) this.minIntake = intakeId;
    const w = Math.floor(t / WINDOW_MS);
    if (w > this.openWindow) {
      this.openWindow = w;
      this.openMinIntake = intakeId;
    } else if (w === this.openWindow && intakeId < this.openMinIntake) this.openMinIntake = intakeId;
  }
}

/**
 * The head series of a dictionary's series ids, in the same order, filled in by `appendFrame`. A
 * caller that appends the same series frame after frame (an agent connection's dictionary, see
 * frame-series.ts) keeps one and saves a map lookup per sample.
 */
export type HeadSlots = (HeadSeries | undefined)[];

/** Points of one series picked for chunks: sorted by ts (stable). */
export interface CutSeries {
  readonly seriesId: number;
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** All cuts of one watermark at once (tests, and the shape the chunk writer takes a slice in). */
export interface CutPlan {
  readonly series: CutSeries[];
  /** Intake records below this id hold no point that stays in the head after the cut. */
  readonly watermark: number;
  readonly points: number;
}

/**
 * The start of a flush: every point with an intake id below `watermark` is cut (they all lie in
 * closed windows), and `seriesIds` (ascending) are the series that hold such points. Points
 * appended later have higher ids, so the cut of a series does not change while a sliced flush
 * works through the list.
 */
export interface CutStart {
  readonly watermark: number;
  readonly seriesIds: number[];
}

export class Head {
  private readonly bySeries = new Map<number, HeadSeries>();
  private total = 0;
  /** The intake id of the newest append: a watermark never passes it (later records are not in the cut). */
  private lastIntake = 0;
  /** startCut calls so far: the clock of KEEP_EMPTY_CUTS. */
  private cuts = 0;

  /** Points held (not yet in chunks). */
  get size(): number {
    return this.total;
  }

  private series(seriesId: number, intakeId: number): HeadSeries {
    if (intakeId > 0) this.lastIntake = intakeId;
    let s = this.bySeries.get(seriesId);
    if (s === undefined) {
      s = new HeadSeries(seriesId);
      this.bySeries.set(seriesId, s);
    }
    return s;
  }

  /** Appends an accepted batch's points for one series (bits copied as they are). */
  append(seriesId: number, ts: Float64Array, values: Float64Array, intakeId: number): void {
    const s = this.series(seriesId, intakeId);
    s.reserve(ts.length);
    s.values.set(values, s.n);
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i] as number;
      s.ts[s.n] = t;
      s.intake[s.n] = intakeId;
      s.n++;
      s.noted(t, intakeId);
    }
    this.total += ts.length;
  }

  /**
   * Appends a whole batch frame: series s (id `ids[s]`) gets the next `n[s]` samples of the
   * columns, sample k at ts = t0 + dt[k] with the float64 little-endian at byte 8·k of `v` (finite,
   * as the validator guarantees, so reading it as a number keeps its bits). `slots` remembers each id's head series between calls (see HeadSlots). Returns the
   * samples appended.
   */
  appendFrame(ids: readonly number[], slots: HeadSlots, t0: number, dt: readonly number[], v: DataView, n: readonly number[], intakeId: number): number {
    if (intakeId > 0) this.lastIntake = intakeId;
    let k = 0;
    for (let s = 0; s < n.length; s++) {
      let hs = slots[s];
      if (hs === undefined || hs.removed) hs = slots[s] = this.series(ids[s] as number, intakeId);
      const count = n[s] as number;
      appendInto(hs, t0, dt, v, k, count, intakeId);
      k += count;
    }
    this.total += k;
    return k;
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
    return picked(s, idx);
  }

  /**
   * Copies of a series' head points with ts ≥ from, sorted by ts (stable): what a follower has
   * not seen (Store.pointsAfter). A binary search and one copy while the series' points came in
   * order, which is the usual case; a scan otherwise.
   */
  after(seriesId: number, from: number): { ts: Float64Array; values: Float64Array } {
    const s = this.bySeries.get(seriesId);
    if (s === undefined) return { ts: new Float64Array(0), values: new Float64Array(0) };
    if (!s.ordered) return this.range(seriesId, from, Number.POSITIVE_INFINITY);
    let lo = 0;
    let hi = s.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((s.ts[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return { ts: s.ts.slice(lo, s.n), values: s.values.slice(lo, s.n) };
  }

  /**
   * Starts a cut (see CutStart). A window closes when a later window of its series has points,
   * when it ended more than `graceMs` before `now`, or when the series holds more than
   * MAX_HEAD_POINTS (`everything`: all do). The watermark W is the oldest intake record of a
   * point in an open window, so every point of a record below W is in a closed window: after
   * the chunks of all of them commit and the records below W are deleted, no record left has a
   * point in a chunk, and a replay after a crash duplicates nothing (a group commit's record
   * spans many ticks, so it can straddle a window). Changes no point (it forgets series long
   * empty, see KEEP_EMPTY_CUTS); O(series), not O(points).
   */
  startCut(now: number, graceMs: number, everything = false): CutStart {
    this.cuts++;
    let watermark = this.lastIntake + 1;
    for (const [id, s] of this.bySeries) {
      if (s.n === 0) {
        if (s.emptiedAtCut >= 0 && this.cuts - s.emptiedAtCut > KEEP_EMPTY_CUTS) this.forget(id, s);
        continue;
      }
      const all = everything || s.n > MAX_HEAD_POINTS || (s.openWindow + 1) * WINDOW_MS + graceMs <= now;
      if (!all && s.openMinIntake < watermark) watermark = s.openMinIntake;
    }
    return { watermark, seriesIds: this.seriesBelow(watermark) };
  }

  /** The series holding points of intake records below `watermark`, ascending. */
  seriesBelow(watermark: number): number[] {
    const ids: number[] = [];
    for (const [seriesId, s] of this.bySeries) if (s.minIntake < watermark) ids.push(seriesId);
    return ids.sort((a, b) => a - b);
  }

  /** The points of a series with intake id below `watermark`, sorted by ts (stable); null if none. Changes nothing. */
  cutOf(seriesId: number, watermark: number): CutSeries | null {
    const s = this.bySeries.get(seriesId);
    if (s === undefined || s.minIntake >= watermark) return null;
    const idx: number[] = [];
    for (let i = 0; i < s.n; i++) if ((s.intake[i] as number) < watermark) idx.push(i);
    if (idx.length === 0) return null;
    return { seriesId, ...picked(s, idx) };
  }

  /** Drops a series' points with intake id below `watermark`. Call only after their chunks committed. */
  drop(seriesId: number, watermark: number): void {
    const s = this.bySeries.get(seriesId);
    if (s === undefined) return;
    let k = 0;
    let minTs = Number.POSITIVE_INFINITY;
    let minIntake = Number.POSITIVE_INFINITY;
    let openMinIntake = Number.POSITIVE_INFINITY;
    const vb = new Uint32Array(s.values.buffer);
    for (let i = 0; i < s.n; i++) {
      const id = s.intake[i] as number;
      if (id < watermark) continue;
      const t = s.ts[i] as number;
      s.ts[k] = t;
      vb[2 * k] = vb[2 * i] as number;
      vb[2 * k + 1] = vb[2 * i + 1] as number;
      s.intake[k] = id;
      if (t < minTs) minTs = t;
      if (id < minIntake) minIntake = id;
      if (Math.floor(t / WINDOW_MS) === s.openWindow && id < openMinIntake) openMinIntake = id;
      k++;
    }
    this.total -= s.n - k;
    s.n = k;
    // What is left keeps its order; a series out of order may be in order again without its oldest points.
    if (!s.ordered) {
      s.ordered = true;
      for (let i = 1; i < k && s.ordered; i++) s.ordered = (s.ts[i - 1] as number) <= (s.ts[i] as number);
    }
    if (k === 0) s.lastTs = Number.NEGATIVE_INFINITY;
    s.minTs = minTs;
    s.minIntake = minIntake;
    s.openMinIntake = openMinIntake;
    if (k === 0) s.emptiedAtCut = this.cuts;
  }

  /** startCut and every cutOf at once. Changes nothing. */
  plan(now: number, graceMs: number, everything = false): CutPlan {
    const { watermark, seriesIds } = this.startCut(now, graceMs, everything);
    const series: CutSeries[] = [];
    let points = 0;
    for (const id of seriesIds) {
      const c = this.cutOf(id, watermark);
      if (c === null) continue;
      series.push(c);
      points += c.ts.length;
    }
    return { series, watermark, points };
  }

  /** Drops the points a committed plan wrote. Call only after the chunk transaction committed. */
  commit(plan: CutPlan): void {
    for (const c of plan.series) this.drop(c.seriesId, plan.watermark);
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
  seriesIds(): number[] {
    const ids: number[] = [];
    for (const [id, s] of this.bySeries) if (s.n > 0) ids.push(id);
    return ids;
  }

  private forget(seriesId: number, s: HeadSeries): void {
    s.removed = true;
    this.bySeries.delete(seriesId);
  }
}

function appendInto(s: HeadSeries, t0: number, dt: readonly number[], v: DataView, start: number, count: number, intakeId: number): void {
  s.reserve(count);
  const { ts, values, intake } = s;
  let n = s.n;
  for (let k = start, end = start + count; k < end; k++, n++) {
    const t = t0 + (dt[k] as number);
    ts[n] = t;
    values[n] = v.getFloat64(k * 8, true);
    intake[n] = intakeId;
    s.noted(t, intakeId);
  }
  s.n = n;
}

/** Copies of the points `idx` of a series, sorted by ts (stable), values bit for bit. */
function picked(s: HeadSeries, idx: number[]): { ts: Float64Array; values: Float64Array } {
  // Points mostly arrive in ts order: sort only when they did not.
  let sorted = true;
  for (let k = 1; k < idx.length && sorted; k++) sorted = (s.ts[idx[k - 1] as number] as number) <= (s.ts[idx[k] as number] as number);
  if (!sorted) idx.sort((a, b) => (s.ts[a] as number) - (s.ts[b] as number) || a - b);
  const ts = new Float64Array(idx.length);
  const values = new Float64Array(idx.length);
  idx.forEach((i, k) => (ts[k] = s.ts[i] as number));
  copyBits(s.values, values, idx);
  return { ts, values };
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
