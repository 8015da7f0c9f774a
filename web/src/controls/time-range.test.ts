import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGE, fromLocalInput, rangeBounds, rangeQuery, toLocalInput } from './time-range.ts';

describe('time range', () => {
  it('ends now while live and at the fixed end otherwise', () => {
    expect(rangeBounds(DEFAULT_RANGE, 1_000_000)).toEqual({ from: 100_000, to: 1_000_000 });
    expect(rangeBounds({ spanMs: 1000, end: 5000 }, 9_999_999)).toEqual({ from: 4000, to: 5000 });
    expect(rangeQuery({ spanMs: 1000, end: 5000.5 }, 0)).toBe('from=4000&to=5001');
  });

  it('round-trips datetime-local values in local time', () => {
    const ts = new Date(2025, 0, 2, 3, 4).getTime();
    expect(toLocalInput(ts)).toBe('2025-01-02T03:04');
    expect(fromLocalInput('2025-01-02T03:04')).toBe(ts);
    expect(fromLocalInput('')).toBeNull();
  });
});
