/**
 * The period rollup: once a 10-minute period is over (plus a grace), reads its chunks, writes
 * every series' 10s/1m/5m/1h buckets and its 1m sketches, builds the 1h sketches of each hour it
 * completes, and advances `rolled_through` in the same transaction. The per-second flush then
 * writes chunks only.
 *
 *   chunks  ─────────────────────────────────────────────────────────────▶ time
 *           |  in blocks + 1m sketches (rolled)        | W | chunks only | head
 *                                                        └ rolled_through (10-min aligned)
 *
 * Invariant: a chunk point with ts < W is in the tier blocks and the 1m sketches, one with
 * ts ≥ W in neither; a 1h sketch exists for exactly the hours that end at or before W. Late
 * points of rolled periods are merged in by the chunk writer, so the two never disagree. Readers
 * take blocks and sketches below W and chunks (decoded) from W on. (The class keeps the name of
 * the hourly sketch job it replaced; the store runs it through rollHours().)
 */
import type { Statement } from 'better-sqlite3';
import { BlockRows } from './block-rows.ts';
import { decodeChunk } from './chunk-codec.ts';
import { QuantileSketch } from './quantile-sketch.ts';
import { aggregate, coarsen, decodeBlock } from './rollup-tiers.ts';
import { SketchRows } from './sketch-rows.ts';
import type { SqliteDb } from './sqlite-db.ts';

/** Length of a rollup period; aligned on the sample clock. */
export const PERIOD_MS = 600_000;
const HOUR = 3_600_000;
const NOT_STARTED = Number.MIN_SAFE_INTEGER;

export class HourRollup {
  private readonly db: SqliteDb;
  private readonly blocks: BlockRows;
  private readonly sketch1m: SketchRows;
  private readonly sketch1h: SketchRows;
  private readonly s: Record<'getMeta' | 'setMeta' | 'nextChunk' | 'chunksOf' | 'minutesOf', Statement>;
  private readonly rollTxn: (period: number) => void;
  /** Chunk points before this ms are in the tier blocks and 1m sketches (see the module comment). */
  rolledThrough: number;

  constructor(db: SqliteDb, sketch1h: SketchRows) {
    this.db = db;
    this.blocks = new BlockRows(db);
    this.sketch1m = new SketchRows(db, 'sketch_1m');
    this.sketch1h = sketch1h;
    this.s = {
      getMeta: db.prepare('select value from store_meta where key = ?').pluck(),
      setMeta: db.prepare('insert into store_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value'),
      nextChunk: db.prepare('select min(t_max) from chunks where t_max >= ?').pluck(),
      chunksOf: db.prepare('select series_id, data from chunks where t_max >= ? and t_max < ?').raw(),
      minutesOf: db.prepare('select series_id, data from sketch_1m where ts >= ? and ts < ? order by series_id').raw(),
    };
    if (this.s.getMeta.get('rollup_upgrade_pending') !== undefined) db.transaction(() => this.upgrade())();
    this.rolledThrough = (this.s.getMeta.get('rolled_through') as number | undefined) ?? NOT_STARTED;
    this.rollTxn = db.transaction((period: number) => this.roll(period));
  }

  /**
   * Rolls the finished periods (ended before now − graceMs) of at most `maxHours` hours of data;
   * returns how many periods it rolled. Empty periods are skipped and not counted.
   */
  run(now: number, graceMs: number, maxHours: number): number {
    const maxPeriods = maxHours * (HOUR / PERIOD_MS);
    let rolled = 0;
    while (rolled < maxPeriods) {
      const next = this.s.nextChunk.get(this.rolledThrough === NOT_STARTED ? -Number.MAX_VALUE : this.rolledThrough) as number | null;
      if (next === null) return rolled;
      // Skip empty periods in one step (a collector that was down for a week).
      const period = Math.floor(next / PERIOD_MS) * PERIOD_MS;
      if (period + PERIOD_MS + graceMs > now) return rolled;
      this.rollTxn(period);
      // Only once the transaction committed: readers and the writer plan with it.
      this.rolledThrough = period + PERIOD_MS;
      rolled++;
    }
    return rolled;
  }

  private roll(period: number): void {
    const end = period + PERIOD_MS;
    const bySeries = new Map<number, Uint8Array[]>();
    for (const [seriesId, data] of this.s.chunksOf.all(period, end) as [number, Uint8Array][]) {
      const list = bySeries.get(seriesId);
      if (list === undefined) bySeries.set(seriesId, [data]);
      else list.push(data);
    }
    for (const [seriesId, chunks] of bySeries) this.rollSeries(seriesId, chunks);
    const before = this.rolledThrough === NOT_STARTED ? period : this.rolledThrough;
    for (let h = Math.floor(before / HOUR) * HOUR; h + HOUR <= end; h += HOUR) if (h + HOUR > before) this.rollHour(h);
    this.s.setMeta.run('rolled_through', end);
  }

  private rollSeries(seriesId: number, chunks: readonly Uint8Array[]): void {
    const parts = chunks.map(decodeChunk);
    let n = 0;
    for (const p of parts) n += p.ts.length;
    const ts = new Float64Array(n);
    const values = new Float64Array(n);
    let k = 0;
    for (const p of parts) {
      ts.set(p.ts, k);
      values.set(p.values, k);
      k += p.ts.length;
      if (p.ts.length === 0) continue;
      // A chunk holds one minute of one series (late chunks of a minute fold into its row).
      const sketch = QuantileSketch.encodeValues(p.values);
      if (sketch !== null) this.sketch1m.addEncoded(seriesId, Math.floor((p.ts[0] as number) / 60_000) * 60_000, sketch);
    }
    const a10 = aggregate(ts, values, 10_000);
    const a1m = coarsen(a10, 60_000);
    const a5m = coarsen(a1m, 300_000);
    this.blocks.merge('10s', seriesId, a10);
    this.blocks.merge('1m', seriesId, a1m);
    this.blocks.merge('5m', seriesId, a5m);
    this.blocks.merge('1h', seriesId, coarsen(a5m, HOUR));
  }

  /** Merges an hour's 1m sketches into one 1h sketch per series. */
  private rollHour(hour: number): void {
    let current = -1;
    let acc = new QuantileSketch();
    for (const [seriesId, data] of this.s.minutesOf.all(hour, hour + HOUR) as [number, Uint8Array][]) {
      if (seriesId !== current) {
        if (current >= 0) this.sketch1h.add(current, hour, acc);
        current = seriesId;
        acc = new QuantileSketch();
      }
      acc.merge(QuantileSketch.decode(data));
    }
    if (current >= 0) this.sketch1h.add(current, hour, acc);
  }

  /**
   * A schema 2 file: its flush wrote every chunk into all tiers and 1m sketches at once, and 1h
   * sketches for hours before `hour_rolled_through`. So W starts after the newest chunk; the 5m
   * tier is built from the 1m blocks and the missing 1h sketches from the 1m sketches.
   */
  private upgrade(): void {
    const newest = this.db.prepare('select max(t_max) from chunks').pluck().get() as number | null;
    if (newest !== null) {
      const w = Math.floor(newest / PERIOD_MS) * PERIOD_MS + PERIOD_MS;
      const blocksOf = this.db.prepare('select block, data from rollup_1m where series_id = ? order by block').raw();
      for (const seriesId of this.db.prepare('select distinct series_id from rollup_1m').pluck().all() as number[]) {
        const aggs = (blocksOf.all(seriesId) as [number, Uint8Array][]).flatMap(([block, data]) => coarsen(decodeBlock(data, block, 60_000), 300_000));
        this.blocks.merge('5m', seriesId, coarsen(aggs, 300_000));
      }
      const hoursDone = (this.s.getMeta.get('hour_rolled_through') as number | undefined) ?? 0;
      const first = (this.db.prepare('select min(ts) from sketch_1m where ts >= ?').pluck().get(hoursDone) as number | null) ?? w;
      for (let h = Math.floor(first / HOUR) * HOUR; h + HOUR <= w; h += HOUR) this.rollHour(h);
      this.s.setMeta.run('rolled_through', w);
    }
    this.db.prepare("delete from store_meta where key in ('rollup_upgrade_pending', 'hour_rolled_through')").run();
  }
}
