/**
 * 10 s aggregates of the chunk points the period rollup has not rolled yet (ts ≥ W), per series,
 * so that range queries do not decode the last minutes of chunks again on every refresh:
 *
 *   blocks (SQLite) ──────────────| W |── tail aggregates (memory) ──|── head ──▶
 *
 * An entry is built from chunks by the reader on first use, kept current by the chunk writer
 * after each committed flush, and every entry is dropped when W moves. It is a cache: it holds
 * only series that were read since W last moved, and losing it loses nothing.
 * One instance per open database, shared by that store's writer and reader.
 */
import { mergeAggLists } from './rollup-tiers.ts';
import type { Agg } from './rollup-tiers.ts';
import type { SqliteDb } from './sqlite-db.ts';

/** Width of the cached buckets: the finest tier, so every tier can be built from them. */
export const TAIL_BUCKET_MS = 10_000;

export class TailAggregates {
  private readonly bySeries = new Map<number, Agg[]>();
  private since = Number.NaN;

  /** The entry for `seriesId` at watermark `w`, built by `build` when missing. Do not mutate it. */
  get(seriesId: number, w: number, build: () => Agg[]): readonly Agg[] {
    if (w !== this.since) {
      this.bySeries.clear();
      this.since = w;
    }
    let a = this.bySeries.get(seriesId);
    if (a === undefined) this.bySeries.set(seriesId, (a = build()));
    return a;
  }

  /** Whether the writer has to tell about this series (it has an entry). */
  has(seriesId: number): boolean {
    return this.bySeries.has(seriesId);
  }

  /** A flush committed chunk points with ts ≥ W whose 10 s aggregates are `aggs`. */
  added(seriesId: number, aggs: readonly Agg[]): void {
    const a = this.bySeries.get(seriesId);
    if (a !== undefined) this.bySeries.set(seriesId, mergeAggLists(a, aggs));
  }
}

const byDatabase = new WeakMap<SqliteDb, TailAggregates>();

/** The instance of this database handle (created on first use). */
export function tailAggregatesOf(db: SqliteDb): TailAggregates {
  let t = byDatabase.get(db);
  if (t === undefined) byDatabase.set(db, (t = new TailAggregates()));
  return t;
}
