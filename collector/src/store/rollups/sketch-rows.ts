/**
 * Per-bucket quantile sketches of the 1m and 1h tiers: one row per (series, bucket start).
 * Insert-or-merge, so late points and replays fold into the bucket they belong to.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';
import { QuantileSketch } from './quantile-sketch.ts';

export class SketchRows {
  private readonly insert: Statement;
  private readonly get: Statement;
  private readonly update: Statement;
  private readonly range: Statement;
  /** All sketch records of a range as one blob, or null when the file's text encoding is not UTF-8. */
  private readonly joined: Statement | null;

  constructor(db: SqliteDb, table: string) {
    this.insert = db.prepare(`insert into ${table} (series_id, ts, data) values (?, ?, ?) on conflict do nothing`);
    this.get = db.prepare(`select data from ${table} where series_id = ? and ts = ?`).pluck();
    this.update = db.prepare(`update ${table} set data = ? where series_id = ? and ts = ?`);
    this.range = db.prepare(`select ts, data from ${table} where series_id = ? and ts >= ? and ts < ? order by ts`).raw();
    // group_concat joins blobs byte for byte (as text in the file's encoding: only UTF-8 leaves
    // them untouched); the records are self-delimiting, so one blob replaces a row and a buffer
    // per bucket. Merging does not depend on order.
    this.joined = db.pragma('encoding', { simple: true }) === 'UTF-8'
      ? db.prepare(`select cast(group_concat(data, '') as blob) from ${table} where series_id = ? and ts >= ? and ts < ?`).pluck()
      : null;
  }

  /** Folds `sketch` into the row of (seriesId, start). Call inside the writer's transaction. */
  add(seriesId: number, start: number, sketch: QuantileSketch): void {
    if (sketch.count === 0) return;
    this.addEncoded(seriesId, start, sketch.encode());
  }

  /** add() for a sketch already encoded (QuantileSketch.encodeValues). */
  addEncoded(seriesId: number, start: number, bytes: Uint8Array): void {
    if (this.insert.run(seriesId, start, bytes).changes > 0) return;
    const merged = QuantileSketch.decode(this.get.get(seriesId, start) as Uint8Array);
    merged.mergeEncoded(bytes);
    this.update.run(merged.encode(), seriesId, start);
  }

  /** Folds the sketches of buckets starting in [from, to) into `into`. */
  mergeInto(into: QuantileSketch, seriesId: number, from: number, to: number): void {
    if (this.joined !== null) {
      const all = this.joined.get(seriesId, from, to) as Uint8Array | null;
      if (all !== null) into.mergeEncoded(all);
      return;
    }
    for (const [, data] of this.range.all(seriesId, from, to) as [number, Uint8Array][]) into.mergeEncoded(data);
  }

  /** Sketches of buckets starting in [from, to), ascending. */
  read(seriesId: number, from: number, to: number): { start: number; sketch: QuantileSketch }[] {
    return (this.range.all(seriesId, from, to) as [number, Uint8Array][]).map(([start, data]) => ({ start, sketch: QuantileSketch.decode(data) }));
  }
}
