/**
 * Turns a slice of a head cut into durable rows in ONE transaction: raw chunks (one per series
 * per window) and, in the cut's last slice, the deletion of intake records below the watermark.
 * A cut is written in slices of series in ascending id order (so that a minute of 50,000 series
 * does not hold the thread); every slice but the last records its progress in `store_meta`
 * (`flush_below` = the watermark, `flush_through` = its last series id), and the last deletes
 * both with the records and sets `flushed_below` = the watermark: records below it are in
 * chunks. An exporter's cursor (collector/src/export/) may hold records the flush would delete:
 * the last slice then deletes only those below the hold, and replay skips the rest by
 * `flushed_below`. A replay after a crash between slices skips the points of records
 * below `flush_below` of series up to `flush_through` (they are in chunks) and the store
 * finishes the cut before anything else:
 *
 *   intake records < W:  kept until the last slice ──────────────────────▶ deleted
 *   series (ascending):  [slice 1: chunks][slice 2: chunks] … [last: chunks]
 *   store_meta:          through = s1      through = s2        (deleted)
 * Tier blocks and sketches are the period
 * rollup's (period-rollup.ts); only points of a period it already rolled (late data) are merged here
 * into the 10s/1m/5m/1h blocks, the 1m sketch, and the 1h sketch of a finished hour, so the
 * rollup's invariant holds. After it commits the head drops the points; if it throws, nothing
 * changed and the points stay in the head and the intake.
 */
import type { Statement } from 'better-sqlite3';
import { BlockRows } from '../rollups/block-rows.ts';
import { encodeChunk } from './chunk-codec.ts';
import type { CutSeries } from '../head/head.ts';
import { WINDOW_MS } from '../head/head.ts';
import { QuantileSketch } from '../rollups/quantile-sketch.ts';
import { aggregate, TIERS } from '../rollups/rollup-tiers.ts';
import { SketchRows } from '../rollups/sketch-rows.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';
import { tailAggregatesOf } from '../rollups/tail-aggregates.ts';
import type { TailAggregates } from '../rollups/tail-aggregates.ts';

const HOUR = 3_600_000;

/** One slice of a cut (head.ts): series in ascending id order, after those of earlier slices. */
export interface CutSlice {
  readonly series: readonly CutSeries[];
  /** Every point of an intake record below this id is in the cut. */
  readonly watermark: number;
  /** The cut's last slice: it deletes the records below the watermark. */
  readonly last: boolean;
}

/** A cut interrupted between slices (a crash): read at start-up from store_meta. */
export interface CutProgress {
  readonly watermark: number;
  readonly through: number;
}

export class ChunkWriter {
  private readonly addChunk: Statement;
  private readonly trimIntake: Statement;
  private readonly s: Record<'getMeta' | 'setMeta' | 'clearProgress', Statement>;
  private readonly hold: () => number;
  private readonly blocks: BlockRows;
  readonly sketch1m: SketchRows;
  readonly sketch1h: SketchRows;
  private readonly txn: (slice: CutSlice, rolledThroughOf: (seriesId: number) => number) => void;
  private readonly tail: TailAggregates;
  /** Windows of the running transaction that the tail aggregates must hear of once it commits. */
  private fresh: { seriesId: number; ts: Float64Array; values: Float64Array; start: number; end: number }[] = [];

  /** `hold`: the lowest intake id some reader still needs (Infinity: none); the flush keeps it and all above. */
  constructor(db: SqliteDb, hold: () => number = () => Number.POSITIVE_INFINITY) {
    this.hold = hold;
    this.addChunk = db.prepare('insert into chunks (series_id, t_min, t_max, n, data) values (?, ?, ?, ?, ?)');
    this.trimIntake = db.prepare('delete from intake where id < ?');
    this.blocks = new BlockRows(db);
    this.sketch1m = new SketchRows(db, 'sketch_1m');
    this.sketch1h = new SketchRows(db, 'sketch_1h');
    this.tail = tailAggregatesOf(db);
    this.s = {
      getMeta: db.prepare('select value from store_meta where key = ?').pluck(),
      setMeta: db.prepare('insert into store_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value'),
      clearProgress: db.prepare("delete from store_meta where key in ('flush_below', 'flush_through')"),
    };
    this.txn = db.transaction((slice: CutSlice, rolledThroughOf: (seriesId: number) => number) => {
      for (const c of slice.series) {
        const rolledThrough = rolledThroughOf(c.seriesId);
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
      if (slice.last) {
        const below = Number.isFinite(slice.watermark) ? slice.watermark : Number.MAX_SAFE_INTEGER;
        this.trimIntake.run(Math.min(below, this.hold()));
        this.s.clearProgress.run();
        if (below > this.flushedBelow()) this.s.setMeta.run('flushed_below', below);
      } else {
        const lastSeries = slice.series[slice.series.length - 1];
        if (lastSeries === undefined) return;
        this.s.setMeta.run('flush_below', slice.watermark);
        this.s.setMeta.run('flush_through', lastSeries.seriesId);
      }
    });
  }

  /** Intake records below this id are in chunks (whether or not a hold kept them). */
  flushedBelow(): number {
    return (this.s.getMeta.get('flushed_below') as number | undefined) ?? 0;
  }

  /** Deletes the records below both the flushed watermark and the hold: a hold that moved lets them go. */
  release(): number {
    return this.trimIntake.run(Math.min(this.flushedBelow(), this.hold())).changes;
  }

  /** The cut a crash interrupted between slices, or null. */
  progress(): CutProgress | null {
    const watermark = this.s.getMeta.get('flush_below') as number | undefined;
    const through = this.s.getMeta.get('flush_through') as number | undefined;
    return watermark === undefined || through === undefined ? null : { watermark, through };
  }

  /**
   * Writes a slice (see the module comment). `rolledThroughOf` gives the period rollup's
   * watermark for a series. Throws when SQLite refuses; then nothing changed.
   */
  write(slice: CutSlice, rolledThroughOf: (seriesId: number) => number): void {
    this.fresh = [];
    this.txn(slice, rolledThroughOf);
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
