/**
 * Turns a head cut into durable rows in ONE transaction: raw chunks (one per series per window)
 * and the deletion of intake records below the watermark. Tier blocks and sketches are the period
 * rollup's (hour-rollup.ts); only points of a period it already rolled (late data) are merged here
 * into the 10s/1m/5m/1h blocks, the 1m sketch, and the 1h sketch of a finished hour, so the
 * rollup's invariant holds. After it commits the head drops the points; if it throws, nothing
 * changed and the points stay in the head and the intake.
 */
import type { Statement } from 'better-sqlite3';
import { BlockRows } from './block-rows.ts';
import { encodeChunk } from './chunk-codec.ts';
import type { CutPlan } from './head.ts';
import { WINDOW_MS } from './head.ts';
import { QuantileSketch } from './quantile-sketch.ts';
import { aggregate, TIERS } from './rollup-tiers.ts';
import { SketchRows } from './sketch-rows.ts';
import type { SqliteDb } from './sqlite-db.ts';
import { tailAggregatesOf } from './tail-aggregates.ts';
import type { TailAggregates } from './tail-aggregates.ts';

const HOUR = 3_600_000;

export class ChunkWriter {
  private readonly addChunk: Statement;
  private readonly trimIntake: Statement;
  private readonly blocks: BlockRows;
  readonly sketch1m: SketchRows;
  readonly sketch1h: SketchRows;
  private readonly txn: (plan: CutPlan, rolledThrough: number) => void;
  private readonly tail: TailAggregates;
  /** Windows of the running transaction that the tail aggregates must hear of once it commits. */
  private fresh: { seriesId: number; ts: Float64Array; values: Float64Array; start: number; end: number }[] = [];

  constructor(db: SqliteDb) {
    this.addChunk = db.prepare('insert into chunks (series_id, t_min, t_max, n, data) values (?, ?, ?, ?, ?)');
    this.trimIntake = db.prepare('delete from intake where id < ?');
    this.blocks = new BlockRows(db);
    this.sketch1m = new SketchRows(db, 'sketch_1m');
    this.sketch1h = new SketchRows(db, 'sketch_1h');
    this.tail = tailAggregatesOf(db);
    this.txn = db.transaction((plan: CutPlan, rolledThrough: number) => {
      for (const c of plan.series) {
        let start = 0;
        while (start < c.ts.length) {
          const window = Math.floor((c.ts[start] as number) / WINDOW_MS);
          let end = start + 1;
          while (end < c.ts.length && Math.floor((c.ts[end] as number) / WINDOW_MS) === window) end++;
          this.addChunk.run(c.seriesId, c.ts[start], c.ts[end - 1], end - start, encodeChunk(c.ts, c.values, start, end));
          // Windows never straddle a period, so a whole window is either rolled or not.
          if (window * WINDOW_MS < rolledThrough) this.mergeLate(c.seriesId, c.ts, c.values, start, end, rolledThrough);
          else if (this.tail.has(c.seriesId)) this.fresh.push({ seriesId: c.seriesId, ts: c.ts, values: c.values, start, end });
          start = end;
        }
      }
      this.trimIntake.run(Number.isFinite(plan.watermark) ? plan.watermark : Number.MAX_SAFE_INTEGER);
    });
  }

  /**
   * Writes the plan (see the module comment). `rolledThrough` is the period rollup's watermark.
   * Throws when SQLite refuses; then nothing changed.
   */
  write(plan: CutPlan, rolledThrough: number): void {
    this.fresh = [];
    this.txn(plan, rolledThrough);
    for (const f of this.fresh) this.tail.added(f.seriesId, f.ts, f.values, f.start, f.end);
    this.fresh = [];
  }

  private mergeLate(seriesId: number, ts: Float64Array, values: Float64Array, start: number, end: number, rolledThrough: number): void {
    for (const t of TIERS) this.blocks.merge(t.name, seriesId, aggregate(ts, values, t.bucketMs, start, end));
    const sketch = new QuantileSketch();
    sketch.addAll(values, start, end);
    const minute = Math.floor((ts[start] as number) / 60_000) * 60_000;
    this.sketch1m.add(seriesId, minute, sketch);
    const hour = Math.floor(minute / HOUR) * HOUR;
    if (hour + HOUR <= rolledThrough) this.sketch1h.add(seriesId, hour, sketch);
  }
}
