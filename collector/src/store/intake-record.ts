/**
 * The intake record: an accepted batch's points as written, in the same transaction as its seq,
 * before the head turns them into chunks. Replayed into the head at start; deleted in the
 * transaction that writes the chunks holding its last points.
 *
 *   record = nSeries:uvarint  ( seriesId:uvarint  n:uvarint  ts:f64×n  values:f64×n )×nSeries
 */
import { ByteReader, ByteWriter, CorruptBytes } from './byte-stream.ts';

/** One series' points within a record. */
export interface IntakeSeries {
  readonly seriesId: number;
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** Encodes the points of one batch; the raw float64 bytes are copied, so every bit survives. */
export function encodeIntake(series: readonly IntakeSeries[]): Uint8Array {
  let size = 8;
  for (const s of series) size += 16 + s.ts.length * 16;
  const w = new ByteWriter(size);
  w.uvarint(series.length);
  for (const s of series) {
    w.uvarint(s.seriesId);
    w.uvarint(s.ts.length);
    w.raw(new Uint8Array(s.ts.buffer, s.ts.byteOffset, s.ts.byteLength));
    w.raw(new Uint8Array(s.values.buffer, s.values.byteOffset, s.values.byteLength));
  }
  return w.finish();
}

/** Decodes a record; throws CorruptBytes when it is truncated or inconsistent. */
export function decodeIntake(bytes: Uint8Array): IntakeSeries[] {
  const r = new ByteReader(bytes);
  const n = r.uvarint();
  const out: IntakeSeries[] = [];
  for (let i = 0; i < n; i++) {
    const seriesId = r.uvarint();
    const count = r.uvarint();
    if (count * 16 > bytes.length) throw new CorruptBytes('intake count larger than the record');
    const ts = new Float64Array(count);
    const values = new Float64Array(count);
    new Uint8Array(ts.buffer).set(r.raw(count * 8));
    new Uint8Array(values.buffer).set(r.raw(count * 8));
    out.push({ seriesId, ts, values });
  }
  if (!r.done) throw new CorruptBytes('trailing bytes after the intake record');
  return out;
}
