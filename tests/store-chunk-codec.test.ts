import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptBytes } from '../collector/src/store/chunks/byte-stream.ts';
import { decodeChunk, encodeChunk } from '../collector/src/store/chunks/chunk-codec.ts';
import { decodeIntake, encodeIntake } from '../collector/src/store/head/intake-record.ts';

function fromBits(pairs: readonly [number, number][]): Float64Array {
  const out = new Float64Array(pairs.length);
  const u = new Uint32Array(out.buffer);
  pairs.forEach(([lo, hi], i) => {
    u[2 * i] = lo >>> 0;
    u[2 * i + 1] = hi >>> 0;
  });
  return out;
}

function bits(a: Float64Array): number[] {
  return [...new Uint32Array(a.buffer, a.byteOffset, a.length * 2)];
}

const SPECIAL: [number, number][] = [
  [0, 0x7ff80000], // canonical NaN
  [1, 0x7ff00000], // signalling NaN with payload 1
  [0xdeadbeef, 0xfff7ffff], // negative NaN with a payload
  [0, 0x7ff00000], // +Inf
  [0, 0xfff00000], // -Inf
  [0, 0x80000000], // -0
  [0, 0], // +0
  [1, 0], // smallest denormal
  [0xffffffff, 0x000fffff], // largest denormal
  [0, 0x00100000], // smallest normal
  [0xffffffff, 0x7fefffff], // largest finite
  [0, 0x3ff00000], // 1
  [0, 0x3ff00000], // 1 again (repeat path)
];

describe('chunk codec', () => {
  it('round-trips every special float bit pattern exactly', () => {
    const values = fromBits(SPECIAL);
    const ts = Float64Array.from(values, (_, i) => 1_700_000_000_000 + i * 500);
    const back = decodeChunk(encodeChunk(ts, values));
    expect(bits(back.values)).toEqual(bits(values));
    expect([...back.ts]).toEqual([...ts]);
  });

  it('round-trips any bit patterns with out-of-order and duplicate timestamps', () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 0, maxLength: 300 }), fc.boolean(), (pts, dupes) => {
        const all = dupes && pts.length > 0 ? [...pts, pts[0] as [number, number, number], pts[pts.length - 1] as [number, number, number]] : pts;
        const ts = Float64Array.from(all, (p) => p[0]);
        const values = fromBits(all.map((p) => [p[1], p[2]]));
        const back = decodeChunk(encodeChunk(ts, values));
        expect([...back.ts]).toEqual([...ts]);
        expect(bits(back.values)).toEqual(bits(values));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps non-integer and negative timestamps exactly', () => {
    const ts = Float64Array.from([0.5, -3, 1e-300, 2 ** 60, -0, 7]);
    const values = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const back = decodeChunk(encodeChunk(ts, values));
    expect(bits(back.ts)).toEqual(bits(ts));
  });

  it('costs about two bytes per regular sample with repeated values', () => {
    const n = 120;
    const ts = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 500);
    const values = new Float64Array(n).fill(65);
    expect(encodeChunk(ts, values).length).toBeLessThanOrEqual(2 * n + 24);
  });

  it('refuses truncated bytes with CorruptBytes instead of returning garbage', () => {
    const ts = Float64Array.from({ length: 50 }, (_, i) => 1_700_000_000_000 + i * 500 + (i % 3));
    const values = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const bytes = encodeChunk(ts, values);
    for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeChunk(bytes.subarray(0, cut))).toThrow(CorruptBytes);
  });
});

describe('intake record', () => {
  it('round-trips series ids, timestamps and value bits', () => {
    const values = fromBits(SPECIAL);
    const ts = Float64Array.from(values, (_, i) => 1_700_000_000_000 - i * 500);
    const back = decodeIntake(encodeIntake([{ seriesId: 7, ts, values }, { seriesId: 2 ** 40, ts: ts.subarray(2, 4), values: values.subarray(2, 4) }]));
    expect(back.map((s) => s.seriesId)).toEqual([7, 2 ** 40]);
    expect(bits(back[0]!.values)).toEqual(bits(values));
    expect([...back[1]!.ts]).toEqual([...ts.subarray(2, 4)]);
    expect(bits(back[1]!.values)).toEqual(bits(values.subarray(2, 4)));
  });
});
