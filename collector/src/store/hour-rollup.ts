/**
 * The hourly job: once an hour is over (plus a grace), merges its 1m sketches into one 1h sketch
 * per series and advances `hour_rolled_through` in the same transaction. Later points of an hour
 * already rolled are merged into both tiers by the chunk writer, so the two never disagree.
 */
import type { Statement } from 'better-sqlite3';
import { QuantileSketch } from './quantile-sketch.ts';
import type { SketchRows } from './sketch-rows.ts';
import type { SqliteDb } from './sqlite-db.ts';

const HOUR = 3_600_000;

export class HourRollup {
  private readonly getMeta: Statement;
  private readonly setMeta: Statement;
  private readonly firstMinute: Statement;
  private readonly minutesOf: Statement;
  private readonly sketch1h: SketchRows;
  private readonly rollTxn: (hour: number) => void;
  /** Hours before this ms are in the 1h sketches. */
  rolledThrough: number;

  constructor(db: SqliteDb, sketch1h: SketchRows) {
    this.sketch1h = sketch1h;
    this.getMeta = db.prepare("select value from store_meta where key = 'hour_rolled_through'").pluck();
    this.setMeta = db.prepare("insert into store_meta (key, value) values ('hour_rolled_through', ?) on conflict (key) do update set value = excluded.value");
    this.firstMinute = db.prepare('select min(ts) from sketch_1m where ts >= ?').pluck();
    this.minutesOf = db.prepare('select series_id, data from sketch_1m where ts >= ? and ts < ? order by series_id').raw();
    this.rolledThrough = (this.getMeta.get() as number | undefined) ?? 0;
    this.rollTxn = db.transaction((hour: number) => {
      let current = -1;
      let acc = new QuantileSketch();
      const put = (): void => {
        if (current >= 0) this.sketch1h.add(current, hour, acc);
      };
      for (const [seriesId, data] of this.minutesOf.all(hour, hour + HOUR) as [number, Uint8Array][]) {
        if (seriesId !== current) {
          put();
          current = seriesId;
          acc = new QuantileSketch();
        }
        acc.merge(QuantileSketch.decode(data));
      }
      put();
      this.setMeta.run(hour + HOUR);
    });
  }

  /** Rolls up to `maxHours` finished hours (ended before now − graceMs); returns how many. */
  run(now: number, graceMs: number, maxHours: number): number {
    let rolled = 0;
    while (rolled < maxHours) {
      let hour = this.rolledThrough;
      if (hour === 0) {
        const first = this.firstMinute.get(0) as number | null;
        if (first === null) return rolled;
        hour = Math.floor(first / HOUR) * HOUR;
      }
      if (hour + HOUR + graceMs > now) return rolled;
      // Skip empty hours in one step (a collector that was down for a week).
      const next = this.firstMinute.get(hour) as number | null;
      if (next === null) return rolled;
      if (next >= hour + HOUR) hour = Math.floor(next / HOUR) * HOUR;
      if (hour + HOUR + graceMs > now) return rolled;
      this.rollTxn(hour);
      this.rolledThrough = hour + HOUR;
      rolled++;
    }
    return rolled;
  }
}
