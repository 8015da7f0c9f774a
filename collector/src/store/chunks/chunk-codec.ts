/**
 * The chunk codec: one series' points for one window, lossless for every float64 bit pattern
 * (NaN payloads, ±Inf, -0, denormals) and for any timestamp order, duplicates included.
 *
 *   chunk  = mode:u8  n:uvarint  ts-stream  value-stream
 *   mode 2 (integer ms, |ts| < 2^50): ts0:svarint  d1:svarint  then delta-of-delta:svarint, where a
 *          zero is 0x00 + uvarint(run − 1) (a regular 2 Hz minute costs a few bytes in all);
 *          values: a float column (float-column.ts: decimal or XOR form, runs of repeats)
 *   mode 3 (any float ts): n × f64, then the float column
 *   modes 0 and 1 (written before schema 3, still read): as 2 and 3 without runs, values always
 *          XOR with one 0x00 byte per repeat
 *
 * GPU utilization in 1/100 steps and whole-degree temperatures cost about a byte a sample.
 */
import { ByteReader, ByteWriter, CorruptBytes } from './byte-stream.ts';
import { decodeFloats, encodeFloats } from './float-column.ts';

// Bits are read and written through 32-bit views of the Float64Arrays (never through a JS number,
// which may canonicalize a NaN). The halves trick assumes a little-endian host (every platform Node ships prebuilt for).
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('the chunk codec needs a little-endian host');

const INTEGER_TS_LIMIT = 2 ** 50;
/** More points than one series sends in a minute by orders of magnitude. */
const MAX_CHUNK_POINTS = 2 ** 22;

/** Decoded points of a chunk, in the order they were encoded. */
export interface ChunkPoints {
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** Encodes points [start, end) of ts/values. Never fails; the output decodes to the same bits. */
export function encodeChunk(ts: Float64Array, values: Float64Array, start = 0, end = ts.length): Uint8Array {
  const n = end - start;
  const w = new ByteWriter(16 + n * 2);
  let integral = true;
  for (let i = start; i < end; i++) {
    const t = ts[i] as number;
    // Deltas of deltas must stay exact after zigzag: |t| < 2^50 keeps them under 2^53.
    if (!Number.isInteger(t) || Math.abs(t) >= INTEGER_TS_LIMIT || Object.is(t, -0)) {
      integral = false;
      break;
    }
  }
  w.byte(integral ? 2 : 3);
  w.uvarint(n);
  if (n === 0) return w.finish();
  if (integral) {
    let prev = ts[start] as number;
    w.svarint(prev);
    if (n > 1) {
      let delta = (ts[start + 1] as number) - prev;
      w.svarint(delta);
      prev = ts[start + 1] as number;
      let run = 0;
      for (let i = start + 2; i < end; i++) {
        const t = ts[i] as number;
        const d = t - prev;
        const dod = d - delta;
        delta = d;
        prev = t;
        if (dod === 0) {
          run++;
          continue;
        }
        w.repeats(run);
        run = 0;
        w.svarint(dod);
      }
      w.repeats(run);
    }
  } else {
    for (let i = start; i < end; i++) w.f64(ts[i] as number);
  }
  encodeFloats(w, values, start, end);
  return w.finish();
}

/** Number of points in a chunk without decoding it. Throws CorruptBytes on a bad header. */
export function chunkLength(bytes: Uint8Array): number {
  const r = new ByteReader(bytes);
  r.byte();
  return r.uvarint();
}

/** Decodes a chunk written by encodeChunk. Throws CorruptBytes on truncated or malformed bytes. */
export function decodeChunk(bytes: Uint8Array): ChunkPoints {
  const r = new ByteReader(bytes);
  const mode = r.byte();
  if (mode > 3) throw new CorruptBytes(`unknown chunk mode ${mode}`);
  const n = r.uvarint();
  // Runs let a chunk hold many points in few bytes; the cap only bounds what corrupt bytes can allocate.
  if (mode < 2 ? n > bytes.length * 8 : n > MAX_CHUNK_POINTS) throw new CorruptBytes('chunk count larger than its bytes allow');
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  if (n === 0) return { ts, values };
  if (mode === 2) {
    let prev = r.svarint();
    ts[0] = prev;
    if (n > 1) {
      let delta = r.svarint();
      prev += delta;
      ts[1] = prev;
      let i = 2;
      while (i < n) {
        const dod = r.svarint();
        if (dod === 0) {
          const run = r.uvarint() + 1;
          if (i + run > n) throw new CorruptBytes('timestamp run past the chunk');
          for (let j = 0; j < run; j++) ts[i++] = prev += delta;
          continue;
        }
        delta += dod;
        ts[i++] = prev += delta;
      }
    }
    decodeFloats(r, n, values);
    return { ts, values };
  }
  if (mode === 3) {
    for (let i = 0; i < n; i++) ts[i] = r.f64();
    decodeFloats(r, n, values);
    return { ts, values };
  }
  if (mode === 0) {
    let prev = r.svarint();
    ts[0] = prev;
    let delta = 0;
    for (let i = 1; i < n; i++) {
      const d = r.svarint();
      delta = i === 1 ? d : delta + d;
      prev += delta;
      ts[i] = prev;
    }
  } else {
    for (let i = 0; i < n; i++) ts[i] = r.f64();
  }
  const u = new Uint32Array(values.buffer);
  let lo = r.lo32();
  let hi = r.hi32();
  u[0] = lo;
  u[1] = hi;
  for (let i = 1; i < n; i++) {
    const h = r.byte();
    if (h !== 0) {
      if (h > 64) throw new CorruptBytes(`bad value header ${h}`);
      const lead = Math.floor((h - 1) / 8);
      const trail = (h - 1) % 8;
      if (lead + trail > 7) throw new CorruptBytes(`bad value header ${h}`);
      let xl = 0;
      let xh = 0;
      for (let k = trail; k < 8 - lead; k++) {
        const b = r.byte();
        if (k < 4) xl |= b << (k * 8);
        else xh |= b << ((k - 4) * 8);
      }
      lo = (lo ^ xl) >>> 0;
      hi = (hi ^ xh) >>> 0;
    }
    u[2 * i] = lo;
    u[2 * i + 1] = hi;
  }
  return { ts, values };
}
