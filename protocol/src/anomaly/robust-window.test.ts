import { describe, expect, it } from 'vitest';
import { RobustWindow } from './robust-window.ts';
import { seededNormal } from '../spc/seeded-normal.ts';

/** Median and MAD the slow way: sort a copy. */
function reference(values: number[]): { median: number; mad: number } {
  const med = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const n = s.length;
    return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  };
  const m = med(values);
  return { median: m, mad: med(values.map((v) => Math.abs(v - m))) };
}

describe('RobustWindow', () => {
  it.each([[3], [4], [48], [49]])('keeps median and MAD equal to a sort of the last W values (W = %i), ties included', (w) => {
    const rnd = seededNormal(w);
    const win = new RobustWindow(w);
    const kept: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      // Rounded values repeat often: ties and equal old/new values exercise every shift case.
      const x = Math.fround(i % 7 === 0 ? Math.round(rnd() * 3) : rnd() * 10);
      win.push(x);
      kept.push(x);
      if (kept.length > w) kept.shift();
      const r = reference(kept);
      expect(win.median() + 0).toBe(r.median + 0); // + 0: -0 and 0 are the same median
      expect(win.mad()).toBeCloseTo(r.mad, 6);
      expect(win.values()).toEqual(kept);
    }
  });

  it('is empty before the first value and after clear', () => {
    const win = new RobustWindow(5);
    expect(win.median()).toBeNaN();
    win.push(1);
    win.clear();
    expect(win.size).toBe(0);
    expect(() => new RobustWindow(2)).toThrow(/at least 3/);
  });
});
