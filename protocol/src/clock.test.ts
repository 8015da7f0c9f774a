import { describe, expect, it, vi } from 'vitest';
import { clockSettingsFromEnv, scaledClock, systemClock } from './clock.ts';

describe('scaledClock', () => {
  it('is the system clock at rate 1', () => {
    expect(scaledClock({ rate: 1, originMs: 0 })).toBe(systemClock);
  });

  it('runs `rate` times faster from the shared origin, so two processes agree whenever each started', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const a = scaledClock({ rate: 20, originMs: 1_000_000 });
      vi.advanceTimersByTime(60_000);
      // A second process started a minute later with the same origin reads the same time.
      const b = scaledClock({ rate: 20, originMs: 1_000_000 });
      expect(a.now()).toBe(1_000_000 + 60_000 * 20);
      expect(b.now()).toBe(a.now());
      const fired: number[] = [];
      a.setTimer(() => fired.push(Date.now()), 10_000);
      vi.advanceTimersByTime(499);
      expect(fired).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(fired).toEqual([1_060_500]);
      // Finer than the system clock's whole ms: 0.1 ms later is 2 ms later at rate 20.
      vi.advanceTimersByTime(0.1);
      expect(a.now()).toBe(1_000_000 + 60_500 * 20 + 2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('clockSettingsFromEnv', () => {
  it('defaults to the system clock', () => {
    expect(clockSettingsFromEnv({}, 5)).toEqual({ rate: 1, originMs: 5 });
  });

  it('takes a rate and an origin, and names a bad value', () => {
    expect(clockSettingsFromEnv({ SIGMASCOPE_CLOCK_RATE: '20', SIGMASCOPE_CLOCK_ORIGIN: '100' }, 200)).toEqual({ rate: 20, originMs: 100 });
    expect(() => clockSettingsFromEnv({ SIGMASCOPE_CLOCK_RATE: 'fast' })).toThrow('SIGMASCOPE_CLOCK_RATE: "fast" is not an integer in [1, 1000]');
    expect(() => clockSettingsFromEnv({ SIGMASCOPE_CLOCK_RATE: '20', SIGMASCOPE_CLOCK_ORIGIN: '300' }, 200)).toThrow('SIGMASCOPE_CLOCK_ORIGIN: "300" is not an integer in [0, 200]');
    expect(() => clockSettingsFromEnv({ SIGMASCOPE_CLOCK_ORIGIN: '100' }, 200)).toThrow('without SIGMASCOPE_CLOCK_RATE');
  });
});
