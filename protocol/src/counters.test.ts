import { describe, expect, it } from 'vitest';
import { counterRates, isCounter } from './counters.ts';

describe('counters', () => {
  it('knows the cumulative metrics', () => {
    expect(isCounter('system.network.io')).toBe(true);
    expect(isCounter('system.disk.io')).toBe(true);
    expect(isCounter('hw.gpu.utilization')).toBe(false);
  });

  it('turns cumulative bytes into bytes per second, a reset into the value after it', () => {
    expect(counterRates([[0, 1000], [500, 1500], [1000, 3500], [1500, 200], [1500, 300]])).toEqual([[500, 1000], [1000, 4000], [1500, 400]]);
    expect(counterRates([[0, 5]])).toEqual([]);
  });
});
