import { describe, expect, it } from 'vitest';
import { baselineOf, shiftZ, windowLevel } from './robust-level.ts';

// Reference values from numpy: np.median, 1.4826·median(|x − median|), and the mean and
// std(ddof=1)/0.871 of the sorted sample without floor(2.5 %·n) values at each end.
describe('robust level', () => {
  it('agrees with the reference on 1..100', () => {
    const b = baselineOf(Float64Array.from({ length: 100 }, (_, i) => 100 - i), 0);
    expect(b?.median).toBe(50.5);
    expect(b?.mad).toBeCloseTo(37.065, 9);
    expect(b?.mean).toBeCloseTo(50.5, 12);
    expect(b?.sd).toBeCloseTo(31.98252187642737, 9);
    expect(b?.n).toBe(100);
  });

  it('floors both spreads, and refuses fewer than three values', () => {
    const flat = baselineOf(Float64Array.of(2, 2, 2, 2, 2), 0.05);
    expect([flat?.mad, flat?.sd]).toEqual([0.05, 0.05]);
    expect(baselineOf(Float64Array.of(1, 2), 0)).toBeNull();
  });

  it('drops a window’s highest and lowest value from its mean: one slow probe moves nothing', () => {
    expect(windowLevel(Float64Array.of(5, 1, 9, 2, 100, 3, 4, 6))).toEqual({ median: 4.5, trimmedMean: 4.833333333333333 });
    const base = { median: 0, mad: 1, mean: 0, sd: 1, n: 100 };
    // Eight observations one σ up: z = 1 / (1.1 σ / √8).
    expect(shiftZ(1, base, 8)).toBeCloseTo(Math.sqrt(8) / 1.1, 12);
    expect(shiftZ(1, base, 3)).toBeCloseTo(Math.sqrt(3) / 1.2, 12);
  });
});
