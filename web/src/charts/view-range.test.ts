import { describe, expect, it } from 'vitest';
import { clampView, fromSelection, isFull, panBy, timeTicks, timeTickStep, zoomAt, MIN_SPAN_MS } from './view-range.ts';

const bounds = { min: 0, max: 100_000 };

describe('view range', () => {
  it('zooms around the pointer and never past the data', () => {
    expect(zoomAt(bounds, 50_000, 0.5, bounds)).toEqual({ min: 25_000, max: 75_000 });
    expect(zoomAt(bounds, 0, 0.5, bounds)).toEqual({ min: 0, max: 50_000 });
    expect(zoomAt({ min: 0, max: 50_000 }, 25_000, 4, bounds)).toEqual(bounds);
    const narrow = zoomAt({ min: 0, max: 3_000 }, 1_000, 0.1, bounds);
    expect(narrow.max - narrow.min).toBe(MIN_SPAN_MS);
  });

  it('pans by a fraction of the span and stops at the ends', () => {
    expect(panBy({ min: 20_000, max: 40_000 }, 0.5, bounds)).toEqual({ min: 30_000, max: 50_000 });
    expect(panBy({ min: 80_000, max: 100_000 }, 0.5, bounds)).toEqual({ min: 80_000, max: 100_000 });
    expect(panBy({ min: 5_000, max: 25_000 }, -1, bounds)).toEqual({ min: 0, max: 20_000 });
  });

  it('turns a drag into a window and knows when the view is full', () => {
    expect(fromSelection(9_000, 1_000)).toEqual({ min: 1_000, max: 9_000 });
    expect(fromSelection(1_000, 1_500)).toBeNull();
    expect(isFull(clampView({ min: -5, max: 200_000 }, bounds), bounds)).toBe(true);
  });

  it('picks clock-friendly tick steps', () => {
    expect(timeTickStep(15 * 60_000, 6)).toBe(300_000);
    expect(timeTickStep(15 * 60_000, 12)).toBe(120_000);
    expect(timeTickStep(10_000, 10)).toBe(1_000);
    expect(timeTickStep(30 * 86_400_000, 5)).toBe(6 * 86_400_000);
    expect(timeTicks(913_000, 1_200_000, 120_000)).toEqual([960_000, 1_080_000, 1_200_000]);
  });
});
