/**
 * The chunk codec: one series' points for one window, lossless for every float64 bit pattern
 * (NaN payloads, ±Inf, -0, denormals) and for any timestamp order, duplicates included.
 *
 *   chunk  = mode:u8  n:uvarint  ts-stream  value-stream
 *   mode 0 (integer ms, |ts| < 2^50): ts0:svarint  d1:svarint  then delta-of-delta:svarint × (n-2)
 *   mode 1 (any float):  n × f64
 *   values: v0 as 8 raw bytes; then per point x = bits(v) XOR bits(prev):
 *     x = 0         → 0x00                              (repeat: one byte)
 *     otherwise     → 1 + lead*8 + trail, then the 8 - lead - trail middle bytes of x
 *                     (lead/trail = whole zero bytes at the top/bottom of x)
 *
 * At 2 Hz a regular timestamp costs one byte (delta-of-delta 0) and a repeated value one byte.
 */
import { ByteReader, ByteWriter, CorruptBytes } from './byte-stream.ts';

// Bits are read and written through 32-bit views of the Float64Arrays (never through a JS number,
// which may canonicalize a NaN). The halves trick assumes a little-endian host (every platform Node ships prebuilt for).
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('the chunk codec needs a little-endian host');

const INTEGER_TS_LIMIT = 2 ** 50;

/** Decoded points of a chunk, in the order they were encoded. */
export interface ChunkPoints {
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** Encodes points [start, end) of ts/values. Never fails; the output decodes to the same bits. */
export function encodeChunk(ts: Float64Array, values: Float64Array, start = 0, end = ts.length): Uint8Array {
  const n = end - start;
  const w = new ByteWriter(16 + n * 4);
  let integral = true;
  for (let i = start; i < end; i++) {
    const t = ts[i] as number;
    // Deltas of deltas must stay exact after zigzag: |t| < 2^50 keeps them under 2^53.
    if (!Number.isInteger(t) || Math.abs(t) >= INTEGER_TS_LIMIT || Object.is(t, -0)) {
      integral = false;
      break;
    }
  }
  w.byte(integral ? 0 : 1);
  w.uvarint(n);
  if (n === 0) return w.finish();
  if (integral) {
    let prev = ts[start] as number;
    let prevDelta = 0;
    w.svarint(prev);
    for (let i = start + 1; i < end; i++) {
      const t = ts[i] as number;
      const delta = t - prev;
      w.svarint(i === start + 1 ? delta : delta - prevDelta);
      prevDelta = delta;
      prev = t;
    }
  } else {
    for (let i = start; i < end; i++) w.f64(ts[i] as number);
  }
  const u = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let plo = u[2 * start] as number;
  let phi = u[2 * start + 1] as number;
  w.bits(plo, phi);
  for (let i = start + 1; i < end; i++) {
    const lo = u[2 * i] as number;
    const hi = u[2 * i + 1] as number;
    writeXor(w, (lo ^ plo) >>> 0, (hi ^ phi) >>> 0);
    plo = lo;
    phi = hi;
  }
  return w.finish();
}

function writeXor(w: ByteWriter, xl: number, xh: number): void {
  if (xl === 0 && xh === 0) {
    w.byte(0);
    return;
  }
  let lead = 0;
  for (let k = 7; k >= 0 && byteOf(xl, xh, k) === 0; k--) lead++;
  let trail = 0;
  for (let k = 0; k < 8 && byteOf(xl, xh, k) === 0; k++) trail++;
  w.byte(1 + lead * 8 + trail);
  for (let k = trail; k < 8 - lead; k++) w.byte(byteOf(xl, xh, k));
}

function byteOf(lo: number, hi: number, k: number): number {
  return k < 4 ? (lo >>> (k * 8)) & 0xff : (hi >>> ((k - 4) * 8)) & 0xff;
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
  if (mode !== 0 && mode !== 1) throw new CorruptBytes(`unknown chunk mode ${mode}`);
  const n = r.uvarint();
  if (n > bytes.length * 8) throw new CorruptBytes('chunk count larger than its bytes allow');
  const ts = new Float64Array(n);
  const values = new Float64Array(n);
  if (n === 0) return { ts, values };
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
