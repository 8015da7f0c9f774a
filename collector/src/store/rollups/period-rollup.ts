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
 * the hourly sketch job it replaced; the store runs it through rollHours() and rollSlice().)
 *
 * A period is rolled in slices of series in ascending id order, each slice one transaction that
 * also records how far it got (`rollup_period`, `rollup_after` in store_meta), so 50,000 series
 * do not hold the thread for seconds. Between slices W is per series: a series up to `after` is
 * rolled through the period's end (its blocks, 1m sketches and the 1h sketch of an hour the
 * period completes are written), the others through W. Readers and the chunk writer ask
 * `rolledThroughOf(series)`, so the invariant above holds for every series at every moment; the
 * last slice moves W itself. A crash between slices resumes after `rollup_after`: nothing is
 * rolled twice or skipped.
 *
 *   series ids ──▶  1 … after │ after+1 … max
 *                   W_s = end │ W_s = W          (period [W, end) in progress)
 */
import type { Statement } from 'better-sqlite3';
import { BlockRows } from './block-rows.ts';
import { decodeChunk } from '../chunks/chunk-codec.ts';
import { QuantileSketch } from './quantile-sketch.ts';
import { aggregate, coarsen, decodeBlock } from './rollup-tiers.ts';
import { SketchRows } from './sketch-rows.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';
import { concatPoints } from '../store.ts';
import type { SliceBounds, SliceResult } from '../chunked-store.ts';
import { tailAggregatesOf } from './tail-aggregates.ts';
import type { TailAggregates } from './tail-aggregates.ts';

/** Length of a rollup period; aligned on the sample clock. */
export const PERIOD_MS = 600_000;
const HOUR = 3_600_000;
const NOT_STARTED = Number.MIN_SAFE_INTEGER;

/** A period between its slices: series with ids up to `after` are rolled. */
interface PeriodInProgress {
  readonly period: number;
  readonly end: number;
  /** The hours whose 1h sketches this period completes. */
  readonly hours: readonly number[];
  after: number;
}

/** What one slice's transaction did. */
interface SliceDone {
  readonly after: number;
  readonly points: number;
  readonly series: number;
  readonly last: boolean;
}

export class PeriodRollup {
  private readonly db: SqliteDb;
  private readonly blocks: BlockRows;
  private readonly sketch1m: SketchRows;
  private readonly sketch1h: SketchRows;
  private readonly s: Record<'getMeta' | 'setMeta' | 'clearProgress' | 'nextChunk' | 'maxSeries' | 'chunksOfSeries' | 'minutesOfSeries' | 'minutesOf', Statement>;
  private readonly sliceTxn: (p: PeriodInProgress, maxId: number, bounds: SliceBounds) => SliceDone;
  private readonly tail: TailAggregates;
  private inProgress: PeriodInProgress | null = null;
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
      clearProgress: db.prepare("delete from store_meta where key in ('rollup_period', 'rollup_after')"),
      nextChunk: db.prepare('select min(t_max) from chunks where t_max >= ?').pluck(),
      maxSeries: db.prepare('select max(id) from series').pluck(),
      // A chunk lies in one minute window, so its t_min and t_max are in the same period.
      chunksOfSeries: db.prepare('select data from chunks where series_id = ? and t_min >= ? and t_min < ? order by t_max, rowid').pluck(),
      minutesOfSeries: db.prepare('select data from sketch_1m where series_id = ? and ts >= ? and ts < ?').pluck(),
      minutesOf: db.prepare('select series_id, data from sketch_1m where ts >= ? and ts < ? order by series_id').raw(),
    };
    if (this.s.getMeta.get('rollup_upgrade_pending') !== undefined) db.transaction(() => this.upgrade())();
    this.rolledThrough = (this.s.getMeta.get('rolled_through') as number | undefined) ?? NOT_STARTED;
    this.tail = tailAggregatesOf(db);
    const period = this.s.getMeta.get('rollup_period') as number | undefined;
    const after = this.s.getMeta.get('rollup_after') as number | undefined;
    if (period !== undefined && after !== undefined) this.inProgress = this.periodFrom(period, after);
    this.sliceTxn = db.transaction((p: PeriodInProgress, maxId: number, bounds: SliceBounds) => this.slice(p, maxId, bounds));
  }

  /** W for one series: the period's end for a series already rolled by the period in progress. */
  rolledThroughOf(seriesId: number): number {
    const p = this.inProgress;
    return p !== null && seriesId <= p.after ? p.end : this.rolledThrough;
  }

  /**
   * Rolls the finished periods (ended before now − graceMs) of at most `maxHours` hours of data,
   * slice after slice; returns how many periods it finished. Empty periods are skipped and not
   * counted.
   */
  run(now: number, graceMs: number, maxHours: number, bounds: SliceBounds): number {
    const maxPeriods = maxHours * (HOUR / PERIOD_MS);
    let rolled = 0;
    while (rolled < maxPeriods) {
      const before = this.rolledThrough;
      const r = this.step(now, graceMs, bounds);
      if (this.rolledThrough !== before) rolled++;
      if (r.done) return rolled;
    }
    return rolled;
  }

  /**
   * One slice (one transaction): the next series of the period in progress, or of the next
   * finished period (ended before now − graceMs; empty periods are skipped in one step). `done`
   * when no finished period waits.
   */
  step(now: number, graceMs: number, bounds: SliceBounds): SliceResult {
    if (this.inProgress === null) {
      const next = this.s.nextChunk.get(this.rolledThrough === NOT_STARTED ? -Number.MAX_VALUE : this.rolledThrough) as number | null;
      if (next === null) return { done: true, points: 0, series: 0 };
      // Skip empty periods in one step (a collector that was down for a week).
      const period = Math.floor(next / PERIOD_MS) * PERIOD_MS;
      if (period + PERIOD_MS + graceMs > now) return { done: true, points: 0, series: 0 };
      this.inProgress = this.periodFrom(period, 0);
    }
    const p = this.inProgress;
    const r = this.sliceTxn(p, (this.s.maxSeries.get() as number | null) ?? 0, bounds);
    // Only once the transaction committed: readers and the writer plan with it.
    p.after = r.after;
    if (r.last) {
      this.rolledThrough = p.end;
      this.inProgress = null;
    }
    return { done: false, points: r.points, series: r.series };
  }

  private periodFrom(period: number, after: number): PeriodInProgress {
    const end = period + PERIOD_MS;
    const before = this.rolledThrough === NOT_STARTED ? period : this.rolledThrough;
    const hours: number[] = [];
    for (let h = Math.floor(before / HOUR) * HOUR; h + HOUR <= end; h += HOUR) if (h + HOUR > before) hours.push(h);
    return { period, end, hours, after };
  }

  /** The body of a slice's transaction: series after `p.after` up to `maxId`, within `bounds`. */
  private slice(p: PeriodInProgress, maxId: number, bounds: SliceBounds): SliceDone {
    let id = p.after;
    let points = 0;
    let series = 0;
    let visited = 0;
    while (id < maxId && visited < bounds.maxSeries && points < bounds.maxPoints) {
      id++;
      visited++;
      const chunks = this.s.chunksOfSeries.all(id, p.period, p.end) as Uint8Array[];
      if (chunks.length > 0) {
        points += this.rollSeries(id, chunks);
        series++;
      }
      for (const h of p.hours) this.rollHourOf(id, h);
      this.tail.moved(id, this.rolledThrough, p.end);
    }
    const last = id >= maxId;
    if (last) {
      this.s.setMeta.run('rolled_through', p.end);
      this.s.clearProgress.run();
    } else {
      this.s.setMeta.run('rollup_period', p.period);
      this.s.setMeta.run('rollup_after', id);
    }
    return { after: id, points, series, last };
  }

  /** Merges a series' 1m sketches of an hour into its 1h sketch (none when it has none). */
  private rollHourOf(seriesId: number, hour: number): void {
    const rows = this.s.minutesOfSeries.all(seriesId, hour, hour + HOUR) as Uint8Array[];
    if (rows.length === 0) return;
    const acc = new QuantileSketch();
    for (const data of rows) acc.merge(QuantileSketch.decode(data));
    this.sketch1h.add(seriesId, hour, acc);
  }

  /** Writes a series' blocks and 1m sketches of one period from its chunks; returns its points. */
  private rollSeries(seriesId: number, chunks: readonly Uint8Array[]): number {
    const parts = chunks.map(decodeChunk);
    const { ts, values } = concatPoints(parts);
    for (const p of parts) {
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
    return ts.length;
  }

  /** Merges an hour's 1m sketches into one 1h sketch per series (the upgrade of a schema 2 file). */
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
