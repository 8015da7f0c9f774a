import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './timestamp-cell.ts';

describe('parseTimestamp', () => {
  it('reads ISO 8601, NAB-style local stamps as UTC, and epoch seconds or milliseconds', () => {
    expect(parseTimestamp('2014-02-14 14:27:00')).toBe(Date.UTC(2014, 1, 14, 14, 27));
    expect(parseTimestamp('2014-02-14T14:27:00.5Z')).toBe(Date.UTC(2014, 1, 14, 14, 27, 0, 500));
    expect(parseTimestamp('2014-02-14T14:27:00+02:00')).toBe(Date.UTC(2014, 1, 14, 12, 27));
    expect(parseTimestamp('2014-02-14T14:27:00-0130')).toBe(Date.UTC(2014, 1, 14, 15, 57));
    expect(parseTimestamp('2014-02-14')).toBe(Date.UTC(2014, 1, 14));
    expect(parseTimestamp('2014-02-14T01:00:00+02:00')).toBe(Date.UTC(2014, 1, 13, 23));
    expect(parseTimestamp('2014-02-14T23:00:00-02:00')).toBe(Date.UTC(2014, 1, 15, 1));
    expect(parseTimestamp('1700000000')).toBe(1_700_000_000_000);
    expect(parseTimestamp('1700000000.25')).toBe(1_700_000_000_250);
    expect(parseTimestamp('1700000000123')).toBe(1_700_000_000_123);
  });

  it('refuses what is not a time, and dates that do not exist', () => {
    for (const s of ['', 'yesterday', '2024-02-30', '2023-02-29 00:00:00', '2024-1-1', '12:00', '-5', '0x10']) expect(parseTimestamp(s), s).toBeNull();
    expect(parseTimestamp('2024-02-29 23:59:59')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
  });
});
