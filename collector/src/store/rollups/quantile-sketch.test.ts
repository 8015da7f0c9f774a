import { describe, expect, it } from 'vitest';
import { legacySketch } from '../../../../tests/support/legacy-layouts.ts';
import { DECIMAL_EXACT_LIMIT, EXACT_LIMIT, QuantileSketch } from './quantile-sketch.ts';

const quantiles = (s: QuantileSketch): number[] => [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1].map((q) => s.quantile(q));

describe('quantile sketch bytes', () => {
  const cases: Record<string, Float64Array> = {
    tied: Float64Array.from({ length: 120 }, (_, i) => 60 + (i % 3)),
    decimal: Float64Array.from({ length: 120 }, (_, i) => Math.round(50 + 30 * Math.sin(i)) / 100),
    specials: Float64Array.from([Number.NaN, -0, 0, Number.POSITIVE_INFINITY, 1.5, 1.5, Number.NEGATIVE_INFINITY, -2]),
    continuous: Float64Array.from({ length: 500 }, (_, i) => Math.exp(Math.sin(i * 12.9898) * 0.3)),
  };
  for (const [name, values] of Object.entries(cases)) {
    it(`encodeValues writes what add + encode writes, and it decodes to the same answers (${name})`, () => {
      const built = new QuantileSketch();
      for (const v of values) built.add(v);
      const bytes = QuantileSketch.encodeValues(values) as Uint8Array;
      expect([...bytes]).toEqual([...built.encode()]);
      const back = QuantileSketch.decode(bytes);
      expect([back.count, back.min, back.max]).toEqual([built.count, built.min, built.max]);
      expect(quantiles(back)).toEqual(quantiles(built));
      const merged = new QuantileSketch();
      merged.mergeEncoded(bytes);
      merged.mergeEncoded(bytes);
      const twice = new QuantileSketch();
      twice.merge(built);
      twice.merge(built);
      expect(quantiles(merged)).toEqual(quantiles(twice));
    });
  }

  it('keeps the exact form up to the limit and reads the schema 2 form', () => {
    const measured = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.SQRT2 * (i + 1));
    expect(QuantileSketch.encodeValues(measured(EXACT_LIMIT))?.[0]).toBe(2);
    expect(QuantileSketch.encodeValues(measured(EXACT_LIMIT + 1))?.[0]).toBe(1);
    // Values in 0.001 steps (or coarser) stay exact up to the larger limit, whatever the order.
    const steps = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) / 1000);
    expect(QuantileSketch.encodeValues(steps(DECIMAL_EXACT_LIMIT))?.[0]).toBe(2);
    expect(QuantileSketch.encodeValues(steps(DECIMAL_EXACT_LIMIT + 1))?.[0]).toBe(1);
    const mixed = Float64Array.from([...steps(EXACT_LIMIT), Math.PI]);
    expect(QuantileSketch.encodeValues(mixed)?.[0]).toBe(1);
    const one = new QuantileSketch();
    for (const v of steps(DECIMAL_EXACT_LIMIT)) one.add(v);
    expect(one.encode()[0]).toBe(2);
    one.add(Math.PI);
    expect(one.encode()[0]).toBe(1);
    expect(QuantileSketch.encodeValues(Float64Array.of(Number.NaN))).toBeNull();
    const old = QuantileSketch.decode(legacySketch([3.25, 3.25, 3.25, 3.25, 3.25, -1]));
    expect([old.count, old.min, old.max, old.quantile(0.5)]).toEqual([6, -1, 3.25, 3.25]);
  });

  it('merges sketch-mode sketches whose bins lie below the receiver\'s without folding them together', () => {
    const high = Float64Array.from({ length: 300 }, (_, i) => 10 + (i * 7.31) % 10);
    const low = Float64Array.from({ length: 300 }, (_, i) => 1 + (i * 3.17) % 1);
    const a = QuantileSketch.decode(QuantileSketch.encodeValues(high) as Uint8Array);
    a.merge(QuantileSketch.decode(QuantileSketch.encodeValues(low) as Uint8Array));
    const back = QuantileSketch.decode(a.encode());
    expect([a.count, back.count]).toEqual([600, 600]);
    const all = [...high, ...low].sort((x, y) => x - y);
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      const v = back.quantile(q);
      const rank = all.filter((x) => x <= v).length / all.length;
      expect(Math.abs(rank - q)).toBeLessThanOrEqual(0.01);
    }
  });

  it('merges records written one after another (old, exact and sketch modes) as it merges them one by one', () => {
    const records = [
      legacySketch([3.25, 3.25, 3.25, 3.25, 3.25, -1]),
      QuantileSketch.encodeValues(Float64Array.from({ length: 120 }, (_, i) => Math.round(50 + 30 * Math.sin(i)) / 100)) as Uint8Array,
      QuantileSketch.encodeValues(Float64Array.from({ length: 500 }, (_, i) => Math.exp(Math.sin(i * 12.9898) * 0.3))) as Uint8Array,
      QuantileSketch.encodeValues(Float64Array.of(-2, -2, 0, 7)) as Uint8Array,
    ];
    expect(records.map((r) => r[0])).toEqual([0, 2, 1, 2]);
    const joined = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    records.reduce((at, r) => (joined.set(r, at), at + r.length), 0);
    const oneByOne = new QuantileSketch();
    for (const r of records) oneByOne.merge(QuantileSketch.decode(r));
    const together = new QuantileSketch();
    together.mergeEncoded(joined);
    expect([together.count, together.min, together.max]).toEqual([oneByOne.count, oneByOne.min, oneByOne.max]);
    expect(quantiles(together)).toEqual(quantiles(oneByOne));
    expect([...together.encode()]).toEqual([...oneByOne.encode()]);
  });
});
