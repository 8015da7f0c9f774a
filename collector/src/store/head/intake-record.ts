/**
 * The intake record: accepted points as written, in the same transaction as their seqs, before
 * the head turns them into chunks. Replayed into the head at start; deleted in the transaction
 * that writes the chunks holding its last points. Two forms:
 *
 *   points record = nSeries:uvarint (≥ 1)  ( seriesId:uvarint  n:uvarint  ts:f64×n  values:f64×n )×nSeries
 *   frames record = 0x00 0x01  nFrames:uvarint  ( seriesIds  frameLen:uvarint  frame )×nFrames
 *   seriesIds     = nSeries:uvarint  seriesId:uvarint×nSeries          (one id per series of the frame)
 *
 * A frames record holds the exact batch frames ingest validated (one group commit's), each after
 * the ids of its series; they are decoded again only at replay. A points record never starts with
 * 0x00 (it holds at least one series), which tells the two apart.
 */
import { readBatch } from '@sigmascope/protocol/batch';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { decodeFrame } from '@sigmascope/protocol/codec';
import { ByteReader, ByteWriter, CorruptBytes } from '../chunks/byte-stream.ts';

/** One series' points within a record. */
export interface IntakeSeries {
  readonly seriesId: number;
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** One frame of a frames record: its series ids (encodeSeriesIds) and its bytes as received. */
export interface IntakeFrame {
  readonly idBytes: Uint8Array;
  readonly bytes: Uint8Array;
}

const FRAMES_MARK = 0x00;
const FRAMES_VERSION = 0x01;

/** Encodes the points of one batch; the raw float64 bytes are copied, so every bit survives. */
export function encodeIntake(series: readonly IntakeSeries[]): Uint8Array {
  if (series.length === 0) throw new RangeError('an intake record holds at least one series');
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

/** The `seriesIds` part of a frames record for a frame whose series have these ids. */
export function encodeSeriesIds(ids: readonly number[]): Uint8Array {
  const w = new ByteWriter(4 + ids.length * 3);
  w.uvarint(ids.length);
  for (const id of ids) w.uvarint(id);
  return w.finish();
}

/** A frames record of these frames, bytes copied as they are. */
export function encodeFrameIntake(frames: readonly IntakeFrame[]): Uint8Array {
  let size = 2 + uvarintLength(frames.length);
  for (const f of frames) size += f.idBytes.length + uvarintLength(f.bytes.length) + f.bytes.length;
  const out = new Uint8Array(size);
  out[0] = FRAMES_MARK;
  out[1] = FRAMES_VERSION;
  let pos = putUvarint(out, 2, frames.length);
  for (const f of frames) {
    out.set(f.idBytes, pos);
    pos = putUvarint(out, pos + f.idBytes.length, f.bytes.length);
    out.set(f.bytes, pos);
    pos += f.bytes.length;
  }
  return out;
}

/** Decodes either form; throws CorruptBytes when it is truncated or inconsistent. */
export function decodeIntake(bytes: Uint8Array): IntakeSeries[] {
  return bytes[0] === FRAMES_MARK ? decodeFrames(bytes) : decodePoints(bytes);
}

function decodePoints(bytes: Uint8Array): IntakeSeries[] {
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

function decodeFrames(bytes: Uint8Array): IntakeSeries[] {
  const r = new ByteReader(bytes);
  r.byte();
  if (r.byte() !== FRAMES_VERSION) throw new CorruptBytes('unknown intake record version');
  const frames = r.uvarint();
  const out: IntakeSeries[] = [];
  for (let f = 0; f < frames; f++) {
    const nSeries = r.uvarint();
    if (nSeries > bytes.length) throw new CorruptBytes('intake series count larger than the record');
    const ids: number[] = [];
    for (let i = 0; i < nSeries; i++) ids.push(r.uvarint());
    const decoded = decodeFrame(r.bytes());
    if (!decoded.ok) throw new CorruptBytes(`intake frame does not decode: ${decoded.code} ${decoded.detail}`);
    if (decoded.frame.t !== 'batch') throw new CorruptBytes(`intake frame is a ${decoded.frame.t} frame`);
    const series = readBatch(decoded.frame);
    if (series.length !== nSeries) throw new CorruptBytes('intake frame has another number of series than its ids');
    for (let i = 0; i < nSeries; i++) {
      const s = series[i] as BatchSeries;
      out.push({ seriesId: ids[i] as number, ts: s.ts, values: s.values });
    }
  }
  if (!r.done) throw new CorruptBytes('trailing bytes after the intake record');
  return out;
}

function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    len++;
  }
  return len;
}

function putUvarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[pos++] = n;
  return pos;
}
