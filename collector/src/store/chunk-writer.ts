/**
 * Turns a head cut into durable rows in ONE transaction: raw chunks (one per series per window),
 * the 10s/1m/1h count-sum-min-max blocks, the 1m sketches (and 1h sketches of hours already
 * rolled up), and the deletion of intake records below the watermark. After it commits the head
 * drops the points; if it throws, nothing changed and the points stay in the head and the intake.
 */
import type { Statement } from 'better-sqlite3';
import { encodeChunk } from './chunk-codec.ts';
import type { CutPlan } from './head.ts';
import { WINDOW_MS } from './head.ts';
import { QuantileSketch } from './quantile-sketch.ts';
import { aggregate, decodeBlock, encodeBlock, mergeAggLists, TIERS } from './rollup-tiers.ts';
import type { Agg, Tier } from './rollup-tiers.ts';
import { SketchRows } from './sketch-rows.ts';
import type { SqliteDb } from './sqlite-db.ts';

export class ChunkWriter {
  private readonly db: SqliteDb;
  private readonly addChunk: Statement;
  private readonly trimIntake: Statement;
  private readonly blocks: { tier: Tier; get: Statement; put: Statement }[];
  readonly sketch1m: SketchRows;
  readonly sketch1h: SketchRows;
  private readonly txn: (plan: CutPlan, hourRolledThrough: number) => void;

  constructor(db: SqliteDb) {
    this.db = db;
    this.addChunk = db.prepare('insert into chunks (series_id, t_min, t_max, n, data) values (?, ?, ?, ?, ?)');
    this.trimIntake = db.prepare('delete from intake where id < ?');
    this.blocks = TIERS.map((tier) => ({
      tier,
      get: db.prepare(`select data from ${tier.table} where series_id = ? and block = ?`).pluck(),
      put: db.prepare(`insert into ${tier.table} (series_id, block, data) values (?, ?, ?) on conflict (series_id, block) do update set data = excluded.data`),
    }));
    this.sketch1m = new SketchRows(db, 'sketch_1m');
    this.sketch1h = new SketchRows(db, 'sketch_1h');
    this.txn = db.transaction((plan: CutPlan, hourRolledThrough: number) => {
      for (const c of plan.series) {
        let start = 0;
        while (start < c.ts.length) {
          const window = Math.floor((c.ts[start] as number) / WINDOW_MS);
          let end = start + 1;
          while (end < c.ts.length && Math.floor((c.ts[end] as number) / WINDOW_MS) === window) end++;
          this.addChunk.run(c.seriesId, c.ts[start], c.ts[end - 1], end - start, encodeChunk(c.ts, c.values, start, end));
          this.addSketches(c.seriesId, c.ts, c.values, start, end, hourRolledThrough);
          start = end;
        }
        for (const b of this.blocks) this.mergeBlocks(b, c.seriesId, aggregate(c.ts, c.values, b.tier.bucketMs));
      }
      this.trimIntake.run(Number.isFinite(plan.watermark) ? plan.watermark : Number.MAX_SAFE_INTEGER);
    });
  }

  /** Writes the plan (see the module comment). Throws when SQLite refuses; then nothing changed. */
  write(plan: CutPlan, hourRolledThrough: number): void {
    this.txn(plan, hourRolledThrough);
  }

  private addSketches(seriesId: number, ts: Float64Array, values: Float64Array, start: number, end: number, hourRolledThrough: number): void {
    // Points of one window share their minute; a window never spans two hours.
    const sketch = new QuantileSketch();
    for (let i = start; i < end; i++) sketch.add(values[i] as number);
    const minute = Math.floor((ts[start] as number) / 60_000) * 60_000;
    this.sketch1m.add(seriesId, minute, sketch);
    const hour = Math.floor(minute / 3_600_000) * 3_600_000;
    if (hour < hourRolledThrough) this.sketch1h.add(seriesId, hour, sketch);
  }

  private mergeBlocks(b: { tier: Tier; get: Statement; put: Statement }, seriesId: number, aggs: Agg[]): void {
    let i = 0;
    while (i < aggs.length) {
      const block = Math.floor((aggs[i] as Agg).start / b.tier.blockMs) * b.tier.blockMs;
      let j = i + 1;
      while (j < aggs.length && (aggs[j] as Agg).start < block + b.tier.blockMs) j++;
      const existing = b.get.get(seriesId, block) as Uint8Array | undefined;
      const add = aggs.slice(i, j);
      const merged = existing === undefined ? add : mergeAggLists(decodeBlock(existing, block, b.tier.bucketMs), add);
      b.put.run(seriesId, block, encodeBlock(block, b.tier.bucketMs, merged));
      i = j;
    }
  }
}
