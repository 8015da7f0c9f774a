/**
 * One-time move of rows from the one-row-per-sample `samples` table (schema 1) into intake
 * records, in one transaction per series: the store then replays them into the head and flushes
 * them into chunks like any accepted batch. Idempotent: moved rows are deleted with their move.
 */
import { encodeIntake } from '../head/intake-record.ts';
import type { SqliteDb } from './sqlite-db.ts';

/** Returns the number of samples moved (0 on a database that never had legacy rows). */
export function importLegacySamples(db: SqliteDb): number {
  const has = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'samples'").pluck().get();
  if (has === undefined) return 0;
  if (db.prepare('select 1 from samples limit 1').pluck().get() === undefined) return 0;
  const ids = db.prepare('select distinct series_id from samples').pluck().all() as number[];
  const rows = db.prepare('select ts, value from samples where series_id = ? order by rowid').raw();
  const add = db.prepare('insert into intake (body) values (?)');
  const drop = db.prepare('delete from samples where series_id = ?');
  let moved = 0;
  const move = db.transaction((id: number) => {
    const all = rows.all(id) as [number, number][];
    for (let start = 0; start < all.length; start += 50_000) {
      const part = all.slice(start, start + 50_000);
      add.run(encodeIntake([{ seriesId: id, ts: Float64Array.from(part, (r) => r[0]), values: Float64Array.from(part, (r) => r[1]) }]));
    }
    drop.run(id);
    moved += all.length;
  });
  for (const id of ids) move(id);
  return moved;
}
