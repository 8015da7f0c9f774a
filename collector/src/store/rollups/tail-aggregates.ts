/**
 * 10 s aggregates and minute sketches of the chunk points the period rollup has not rolled yet
 * (ts ≥ W), per series, so that range and percentile queries do not decode the last minutes of
 * chunks again on every refresh:
 *
 *   blocks (SQLite) ──────────────| W |── tail aggregates (memory) ──|── head ──▶
 *
 * An entry is built from chunks by the reader on first use, kept current by the chunk writer
 * after each committed flush, and trimmed when its series' W moves (the period rollup moves W
 * series by series, period-rollup.ts: after each slice commits it drops what it rolled of those
 * series; an entry found at another W is rebuilt). It is a cache: it holds only series that were read since their W last
 * moved, and losing it loses nothing.
 * One instance per open database, shared by that store's writer and reader.
 */
import { QuantileSketch } from './quantile-sketch.ts';
import { aggregate, mergeAggLists } from './rollup-tiers.ts';
import type { Agg } from './rollup-tiers.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** Width of the cached buckets: the finest tier, so every tier can be built from them. */
export const TAIL_BUCKET_MS = 10_000;

/** Encoded sketches (QuantileSketch.encodeValues) by minute start; late chunks add more than one. */
export type MinuteSketches = Map<number, Uint8Array[]>;

export class TailAggregates {
  private readonly aggs = new Map<number, Agg[]>();
  private readonly minutes = new Map<number, MinuteSketches>();
  /** The W each series' entries were built at. */
  private readonly since = new Map<number, number>();

  private at(seriesId: number, w: number): void {
    if (this.since.get(seriesId) === w) return;
    this.forget(seriesId);
    this.since.set(seriesId, w);
  }

  /** Drops a series' entries (its W moved). */
  forget(seriesId: number): void {
    if (!this.since.delete(seriesId)) return;
    this.aggs.delete(seriesId);
    this.minutes.delete(seriesId);
  }

  /** The 10 s aggregates of `seriesId` at its watermark `w`, built by `build` when missing. Do not mutate. */
  get(seriesId: number, w: number, build: () => Agg[]): readonly Agg[] {
    this.at(seriesId, w);
    let a = this.aggs.get(seriesId);
    if (a === undefined) this.aggs.set(seriesId, (a = build()));
    return a;
  }

  /** The minute sketches of `seriesId` at its watermark `w`, built by `build` when missing. Do not mutate. */
  sketches(seriesId: number, w: number, build: () => MinuteSketches): MinuteSketches {
    this.at(seriesId, w);
    let m = this.minutes.get(seriesId);
    if (m === undefined) this.minutes.set(seriesId, (m = build()));
    return m;
  }

  /**
   * The period rollup moved a series' W from `from` to `w` (its points below `w` are now in blocks and
   * sketch rows): its entries keep what lies at or after `w` (10 s buckets and minutes never
   * straddle a period boundary), so the next read does not decode the unrolled chunks again. An
   * entry built at another W than `from` is dropped. If the rollup's transaction then rolls back,
   * the entry's W no longer matches the series' and the next read rebuilds it.
   */
  moved(seriesId: number, from: number, w: number): void {
    if (this.since.get(seriesId) !== from) {
      this.forget(seriesId);
      return;
    }
    this.since.set(seriesId, w);
    const a = this.aggs.get(seriesId);
    if (a !== undefined) {
      let i = 0;
      while (i < a.length && (a[i] as Agg).start < w) i++;
      if (i > 0) this.aggs.set(seriesId, a.slice(i));
    }
    const m = this.minutes.get(seriesId);
    if (m !== undefined) for (const minute of [...m.keys()]) if (minute < w) m.delete(minute);
  }

  /** Whether the writer has to tell about this series (it has an entry). */
  has(seriesId: number): boolean {
    return this.aggs.has(seriesId) || this.minutes.has(seriesId);
  }

  /**
   * A flush committed a chunk of points with ts ≥ W: values [start, end) of one minute window.
   * Call only after the transaction committed.
   */
  added(seriesId: number, ts: Float64Array, values: Float64Array, start: number, end: number): void {
    const a = this.aggs.get(seriesId);
    if (a !== undefined) this.aggs.set(seriesId, mergeAggLists(a, aggregate(ts, values, TAIL_BUCKET_MS, start, end)));
    const m = this.minutes.get(seriesId);
    if (m !== undefined) addMinute(m, Math.floor((ts[start] as number) / 60_000) * 60_000, values, start, end);
  }
}

/** Adds the sketch of values [start, end) of one minute to `m`. */
export function addMinute(m: MinuteSketches, minute: number, values: Float64Array, start = 0, end = values.length): void {
  const bytes = QuantileSketch.encodeValues(values, start, end);
  if (bytes === null) return;
  const list = m.get(minute);
  if (list === undefined) m.set(minute, [bytes]);
  else list.push(bytes);
}

const byDatabase = new WeakMap<SqliteDb, TailAggregates>();

/** The instance of this database handle (created on first use). */
export function tailAggregatesOf(db: SqliteDb): TailAggregates {
  let t = byDatabase.get(db);
  if (t === undefined) byDatabase.set(db, (t = new TailAggregates()));
  return t;
}
