import { describe, expect, it } from 'vitest';
import { aggregate, coarsen, decodeBlock, encodeBlock, mergeAggLists } from './rollup-tiers.ts';
import type { Agg } from './rollup-tiers.ts';
import { legacyBlock } from '../../../../tests/support/legacy-layouts.ts';

const T0 = Date.UTC(2025, 0, 1);

function points(n: number, shuffle: boolean): { ts: Float64Array; values: Float64Array } {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (shuffle) idx.sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
  return { ts: Float64Array.from(idx, (i) => T0 + i * 500), values: Float64Array.from(idx, (i) => (i % 3 === 0 ? Number.NaN : Math.round(100 * Math.sin(i)) / 100)) };
}

describe('rollup blocks', () => {
  it('round-trip aggregates exactly in the columnar layout and still read the old one', () => {
    const p = points(3600, false);
    const aggs = aggregate(p.ts, p.values, 60_000);
    expect(decodeBlock(encodeBlock(T0, 60_000, aggs), T0, 60_000)).toEqual(aggs);
    expect(decodeBlock(legacyBlock(T0, 60_000, aggs), T0, 60_000)).toEqual(aggs);
    expect(encodeBlock(T0, 60_000, aggs).length).toBeLessThan(legacyBlock(T0, 60_000, aggs).length / 2);
  });

  it('aggregate gives the same buckets for sorted and shuffled points, skipping non-finite values', () => {
    const a = points(2000, false);
    const b = points(2000, true);
    const x = aggregate(a.ts, a.values, 10_000);
    const y = aggregate(b.ts, b.values, 10_000);
    expect(y.map((g) => [g.start, g.count, g.min, g.max])).toEqual(x.map((g) => [g.start, g.count, g.min, g.max]));
    expect(x.reduce((s, g) => s + g.count, 0)).toBe(2000 - Math.ceil(2000 / 3));
  });

  it('coarsen and merge keep counts, minima and maxima of the fine buckets', () => {
    const p = points(7200, false);
    const fine = aggregate(p.ts, p.values, 10_000);
    expect(coarsen(fine, 300_000).map((g) => [g.start, g.count, g.min, g.max])).toEqual(aggregate(p.ts, p.values, 300_000).map((g) => [g.start, g.count, g.min, g.max]));
    const half = Math.floor(fine.length / 2);
    const merged = mergeAggLists(coarsen(fine.slice(0, half + 3), 60_000), coarsen(fine.slice(half + 3), 60_000));
    expect(merged.map((g) => [g.start, g.count, g.min, g.max])).toEqual(coarsen(fine, 60_000).map((g) => [g.start, g.count, g.min, g.max]));
  });
});
