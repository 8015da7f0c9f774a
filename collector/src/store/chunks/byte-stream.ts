/**
 * Growable byte writer and bounds-checked reader for the store's binary formats (chunks, intake
 * records, rollup blocks, sketches): unsigned/zigzag varints that hold any safe integer, raw
 * float64 bits, and length-prefixed byte runs. Little-endian throughout.
 */



/** Appends to a buffer that doubles when full. `finish()` returns a copy of exactly what was written. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /**
   * The run marker of the columns: `0x00, uvarint(n − 1)` for n repeats of the previous value;
   * writes nothing when n is 0. (A one-byte 0 never starts an ordinary entry of those columns.)
   */
  repeats(n: number): void {
    if (n === 0) return;
    this.byte(0);
    this.uvarint(n - 1);
  }

  /** An unsigned integer in [0, 2^53): 7 bits per byte, high bit = more follows. */
  uvarint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** A signed safe integer, zigzag-mapped so small magnitudes take one byte. */
  svarint(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /** The raw 64 bits as two 32-bit halves, so NaN payloads survive exactly. */
  bits(lo: number, hi: number): void {
    this.room(8);
    this.view.setUint32(this.pos, lo, true);
    this.view.setUint32(this.pos + 4, hi, true);
    this.pos += 8;
  }

  /** Bytes without a length prefix. */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  bytes(b: Uint8Array): void {
    this.uvarint(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Thrown on truncated or inconsistent bytes: the store treats such a record as corrupt. */
export class CorruptBytes extends Error {}

/** Reads what a ByteWriter wrote; every read checks bounds and throws CorruptBytes past the end. */
export class ByteReader {
  /** The bytes read; hot decoders read single-byte varints from it directly and keep `pos` right. */
  readonly buf: Uint8Array;
  private readonly view: DataView;
  pos = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new CorruptBytes('unexpected end');
    return this.buf[this.pos++] as number;
  }

  uvarint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
    throw new CorruptBytes('varint too long');
  }

  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.buf.length) throw new CorruptBytes('unexpected end');
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /** Low and high 32-bit halves of the next 8 bytes. */
  lo32(): number {
    if (this.pos + 8 > this.buf.length) throw new CorruptBytes('unexpected end');
    return this.view.getUint32(this.pos, true);
  }

  hi32(): number {
    const x = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return x;
  }

  /** The next n bytes (a view, not a copy). */
  raw(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new CorruptBytes('unexpected end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  bytes(): Uint8Array {
    const n = this.uvarint();
    if (this.pos + n > this.buf.length) throw new CorruptBytes('unexpected end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}


