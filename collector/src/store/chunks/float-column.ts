/**
 * A column of float64 values, lossless for every bit pattern, in one of two forms picked per
 * column at encode time:
 *
 *   0xD0 + d  decimal: every value is k / 10^d exactly for an integer |k| < 2^50 (GPU utilization
 *             in 1/100 steps, whole degrees, byte counts). k0 as svarint, then deltas as svarint;
 *             a zero delta is 0x00 followed by uvarint(run − 1) (a run of equal values).
 *   0x00      XOR: v0 as 8 raw bytes; then x = bits(v) XOR bits(prev):
 *               x = 0  → 0x00 then uvarint(run − 1)        (a run of repeats)
 *               else   → 1 + 8·lead + trail, then the 8 − lead − trail middle bytes of x
 *
 * Decimal values are checked at encode time by the same division the decoder does, so a value
 * that would not come back bit for bit (NaN, ±Inf, −0, most measured doubles) sends the whole
 * column to the XOR form. The decoder needs `n` from the enclosing record.
 */
import type { ByteReader, ByteWriter } from './byte-stream.ts';
import { CorruptBytes } from './byte-stream.ts';

const XOR = 0x00;
const DECIMAL = 0xd0;
const MAX_DIGITS = 12;
const K_LIMIT = 2 ** 50;
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, d) => 10 ** d);

/** The fewest decimal digits d ≤ 12 that represent every value of [start, end) exactly, or -1. */
function decimalDigits(values: Float64Array, start: number, end: number): number {
  let d = 0;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    while (d <= MAX_DIGITS) {
      const k = Math.round(v * (POW10[d] as number));
      if (Math.abs(k) < K_LIMIT && k / (POW10[d] as number) === v && !Object.is(v, -0)) break;
      d++;
    }
    if (d > MAX_DIGITS) return -1;
  }
  // A value exact at its own d need not be exact at a larger d: check them all at the final d.
  const scale = POW10[d] as number;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (Math.round(v * scale) / scale !== v) return -1;
  }
  return d;
}

/** Appends values [start, end) (see the module comment). Never fails. */
export function encodeFloats(w: ByteWriter, values: Float64Array, start = 0, end = values.length): void {
  if (end <= start) {
    w.byte(XOR);
    return;
  }
  const d = decimalDigits(values, start, end);
  if (d >= 0) {
    const scale = POW10[d] as number;
    w.byte(DECIMAL + d);
    let prev = Math.round((values[start] as number) * scale);
    w.svarint(prev);
    let run = 0;
    for (let i = start + 1; i < end; i++) {
      const k = Math.round((values[i] as number) * scale);
      if (k === prev) {
        run++;
        continue;
      }
      w.repeats(run);
      run = 0;
      w.svarint(k - prev);
      prev = k;
    }
    w.repeats(run);
    return;
  }
  w.byte(XOR);
  const u = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let plo = u[2 * start] as number;
  let phi = u[2 * start + 1] as number;
  w.bits(plo, phi);
  let run = 0;
  for (let i = start + 1; i < end; i++) {
    const lo = u[2 * i] as number;
    const hi = u[2 * i + 1] as number;
    const xlo = (lo ^ plo) >>> 0;
    const xhi = (hi ^ phi) >>> 0;
    plo = lo;
    phi = hi;
    if (xlo === 0 && xhi === 0) {
      run++;
      continue;
    }
    w.repeats(run);
    run = 0;
    let lead = 0;
    while (lead < 8 && byteOf(xlo, xhi, 7 - lead) === 0) lead++;
    let trail = 0;
    while (trail < 8 - lead && byteOf(xlo, xhi, trail) === 0) trail++;
    w.byte(1 + 8 * lead + trail);
    for (let b = trail; b < 8 - lead; b++) w.byte(byteOf(xlo, xhi, b));
  }
  w.repeats(run);
}

/** Reads `n` values into out[at …]; throws CorruptBytes on malformed bytes. */
export function decodeFloats(r: ByteReader, n: number, out: Float64Array, at = 0): void {
  const form = r.byte();
  if (n === 0) return;
  if (at + n > out.length) throw new CorruptBytes('float column longer than its record');
  if (form >= DECIMAL && form <= DECIMAL + MAX_DIGITS) {
    const scale = POW10[form - DECIMAL] as number;
    let k = r.svarint();
    out[at] = k / scale;
    const buf = r.buf;
    const len = buf.length;
    let pos = r.pos;
    let v = k / scale;
    let i = 1;
    while (i < n) {
      // One-byte zigzag varints (|delta| < 64) are read inline; anything longer by the reader.
      const b = pos < len ? (buf[pos] as number) : 0xff;
      let delta: number;
      if (b < 0x80) {
        pos++;
        delta = b & 1 ? -(b + 1) / 2 : b / 2;
      } else {
        r.pos = pos;
        delta = r.svarint();
        pos = r.pos;
      }
      if (delta === 0) {
        r.pos = pos;
        const run = r.uvarint() + 1;
        pos = r.pos;
        if (i + run > n) throw new CorruptBytes('float run past the column');
        out.fill(v, at + i, at + i + run);
        i += run;
        continue;
      }
      k += delta;
      v = k / scale;
      out[at + i++] = v;
    }
    r.pos = pos;
    return;
  }
  if (form !== XOR) throw new CorruptBytes(`unknown float column form ${form}`);
  const u = new Uint32Array(out.buffer, out.byteOffset, out.length * 2);
  let plo = r.lo32();
  let phi = r.hi32();
  u[2 * at] = plo;
  u[2 * at + 1] = phi;
  // Bytes are read from the buffer directly (the reader's calls cost more than the bits here).
  const buf = r.buf;
  const len = buf.length;
  let pos = r.pos;
  let i = 1;
  while (i < n) {
    if (pos >= len) throw new CorruptBytes('unexpected end');
    const h = buf[pos++] as number;
    if (h === 0) {
      r.pos = pos;
      const run = r.uvarint() + 1;
      pos = r.pos;
      if (i + run > n) throw new CorruptBytes('float run past the column');
      for (let j = 0; j < run; j++, i++) {
        u[2 * (at + i)] = plo;
        u[2 * (at + i) + 1] = phi;
      }
      continue;
    }
    const lead = (h - 1) >> 3;
    const trail = (h - 1) & 7;
    if (lead + trail > 7) throw new CorruptBytes('bad float header');
    if (pos + 8 - lead - trail > len) throw new CorruptBytes('unexpected end');
    let xlo = 0;
    let xhi = 0;
    for (let b = trail; b < 8 - lead; b++) {
      const byte = buf[pos++] as number;
      if (b < 4) xlo |= byte << (8 * b);
      else xhi |= byte << (8 * (b - 4));
    }
    plo = (plo ^ xlo) >>> 0;
    phi = (phi ^ xhi) >>> 0;
    u[2 * (at + i)] = plo;
    u[2 * (at + i) + 1] = phi;
    i++;
  }
  r.pos = pos;
}

function byteOf(lo: number, hi: number, b: number): number {
  return b < 4 ? (lo >>> (8 * b)) & 0xff : (hi >>> (8 * (b - 4))) & 0xff;
}
