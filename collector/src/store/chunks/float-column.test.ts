import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, CorruptBytes } from './byte-stream.ts';
import { decodeFloats, encodeFloats } from './float-column.ts';

function roundTrip(values: Float64Array): { back: Float64Array; bytes: Uint8Array } {
  const w = new ByteWriter();
  encodeFloats(w, values);
  const bytes = w.finish();
  const back = new Float64Array(values.length);
  decodeFloats(new ByteReader(bytes), values.length, back);
  return { back, bytes };
}

const bits = (a: Float64Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, a.length * 2)];

describe('float column', () => {
  it('keeps decimal data small and exact: 1/100 steps, whole degrees, byte counts', () => {
    const util = Float64Array.from({ length: 120 }, (_, i) => Math.round(50 + 20 * Math.sin(i / 9)) / 100);
    const temp = Float64Array.from({ length: 120 }, (_, i) => 60 + Math.floor(i / 40));
    const bytes = Float64Array.from({ length: 120 }, (_, i) => 81_920_000_000 + i * 4096);
    for (const [v, perValue] of [[util, 1], [temp, 1], [bytes, 2]] as const) {
      const { back, bytes: b } = roundTrip(v);
      expect(bits(back)).toEqual(bits(v));
      expect(b.length).toBeLessThanOrEqual(perValue * v.length + 16);
    }
    expect(roundTrip(temp).bytes.length).toBeLessThan(16);
  });

  it('round-trips every bit pattern (NaN payloads, -0, ±Inf, denormals) through the XOR form', () => {
    const pattern = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 200 }), fc.array(fc.integer({ min: -5000, max: 5000 }), { maxLength: 50 }), (pairs, decimals) => {
        const raw = new Float64Array(pairs.length);
        const u = new Uint32Array(raw.buffer);
        pairs.forEach(([lo, hi], i) => ((u[2 * i] = lo), (u[2 * i + 1] = hi)));
        for (const v of [raw, Float64Array.from(decimals, (k) => k / 100), Float64Array.from([...decimals, -0].map((k) => k / 10))]) {
          expect(bits(roundTrip(v).back)).toEqual(bits(v));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses truncated bytes with CorruptBytes', () => {
    for (const v of [Float64Array.from({ length: 40 }, (_, i) => Math.sin(i)), Float64Array.from({ length: 40 }, (_, i) => (i % 7) / 4)]) {
      const w = new ByteWriter();
      encodeFloats(w, v);
      const bytes = w.finish();
      for (let cut = 0; cut < bytes.length; cut++) expect(() => decodeFloats(new ByteReader(bytes.subarray(0, cut)), v.length, new Float64Array(v.length))).toThrow(CorruptBytes);
    }
  });
});
