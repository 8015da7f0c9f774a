/**
 * The "zero duplicate rows" audit on the chunked layout: decodes every chunk and every intake
 * record of a database and counts samples that repeat another's (series, ts, value bits). Opens
 * nothing itself, so the test oracle can run it on a read-only handle of a live collector's file.
 * Reads everything: an audit, not a query. While a sliced flush is between slices, the points of
 * intake records below `flush_below` of series up to `flush_through` are already in chunks and
 * left out of the records (as the replay leaves them out, chunk-writer.ts), and so are records
 * below `flushed_below` that an exporter's cursor still holds (they are in chunks too).
 */
import { decodeChunk } from './chunks/chunk-codec.ts';
import { decodeIntake } from './head/intake-record.ts';
import type { SqliteDb } from './schema/sqlite-db.ts';

/** Samples stored more than once (0 when storage is exactly-once). */
export function countDuplicateSamples(db: SqliteDb): number {
  const seen = new Map<number, Set<string>>();
  let duplicates = 0;
  const note = (seriesId: number, ts: Float64Array, values: Float64Array): void => {
    let set = seen.get(seriesId);
    if (set === undefined) seen.set(seriesId, (set = new Set()));
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < ts.length; i++) {
      const key = `${ts[i]}:${bits[2 * i]}:${bits[2 * i + 1]}`;
      if (set.has(key)) duplicates++;
      else set.add(key);
    }
  };
  // One read transaction: a flush moves points from intake to chunks atomically.
  db.transaction(() => {
  for (const [seriesId, data] of db.prepare('select series_id, data from chunks').raw().iterate() as IterableIterator<[number, Uint8Array]>) {
    const p = decodeChunk(data);
    note(seriesId, p.ts, p.values);
  }
  const meta = db.prepare('select value from store_meta where key = ?').pluck();
  const below = meta.get('flush_below') as number | undefined;
  const through = meta.get('flush_through') as number | undefined;
  const flushed = (meta.get('flushed_below') as number | undefined) ?? 0;
  for (const [id, body] of db.prepare('select id, body from intake where id >= ?').raw().iterate(flushed) as IterableIterator<[number, Uint8Array]>) {
    const written = below !== undefined && through !== undefined && id < below;
    for (const s of decodeIntake(body)) if (!(written && s.seriesId <= (through as number))) note(s.seriesId, s.ts, s.values);
  }
  })();
  return duplicates;
}
