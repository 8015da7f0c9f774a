import { describe, expect, it } from 'vitest';
import { Head, WINDOW_MS } from './head.ts';
import type { HeadSlots } from './head.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

function columns(values: number[]): DataView {
  const v = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((x, i) => v.setFloat64(i * 8, x, true));
  return v;
}

describe('head', () => {
  it('appends a frame’s columns like the points one by one', () => {
    const a = new Head();
    const b = new Head();
    const dt = [0, 500, 1_000, 0, 250];
    const values = [1.5, -0, 5e-324, 7, 8];
    expect(a.appendFrame([1, 2], [], T0, dt, columns(values), [3, 2], 4)).toBe(5);
    b.append(1, Float64Array.of(T0, T0 + 500, T0 + 1_000), Float64Array.from(values.slice(0, 3)), 4);
    b.append(2, Float64Array.of(T0, T0 + 250), Float64Array.from(values.slice(3)), 4);
    for (const id of [1, 2]) expect(a.range(id, 0, Number.MAX_SAFE_INTEGER)).toEqual(b.range(id, 0, Number.MAX_SAFE_INTEGER));
    expect(Object.is(a.range(1, T0 + 500, T0 + 500).values[0], -0)).toBe(true);
    expect(a.size).toBe(5);
  });

  it('appends whole frames through kept slots, also after a series left the head and came back', () => {
    const head = new Head();
    const slots: HeadSlots = [];
    const ids = [7, 9];
    // Frame 1 (intake 1): one point each in minute 0; then series 9 alone gets a point in minute 1 (intake 2).
    expect(head.appendFrame(ids, slots, T0, [0, 0], columns([1, 2]), [1, 1], 1)).toBe(2);
    head.append(9, Float64Array.of(T0 + WINDOW_MS), Float64Array.of(3), 2);
    // Minute 0 closes: series 7 is cut whole (empty now), series 9 keeps its minute-1 point.
    const plan = head.plan(T0 + 2 * WINDOW_MS, 10_000, false);
    expect(plan.series.map((s) => s.seriesId)).toEqual([7, 9]);
    head.commit(plan);
    expect(head.seriesIds()).toEqual([9]);
    // The next frame through the same slots reaches series 7 again, and series 9 as it is.
    expect(head.appendFrame(ids, slots, T0 + WINDOW_MS, [500, 500, 1_000], columns([4, 5, 6]), [1, 2], 3)).toBe(3);
    expect(Array.from(head.range(7, 0, Number.MAX_SAFE_INTEGER).values)).toEqual([4]);
    expect(Array.from(head.range(9, 0, Number.MAX_SAFE_INTEGER).values)).toEqual([3, 5, 6]);
    // Both go to chunks; after a minute of cuts with nothing new the head forgets them, and the
    // slots find new series (not the forgotten ones) for the next frame.
    head.commit(head.plan(T0 + 3 * WINDOW_MS, 10_000, true));
    for (let i = 0; i < 61; i++) head.plan(T0 + 3 * WINDOW_MS, 10_000);
    expect(head.seriesIds()).toEqual([]);
    expect(head.appendFrame(ids, slots, T0 + 3 * WINDOW_MS, [0, 0], columns([7, 8]), [1, 1], 4)).toBe(2);
    expect(Array.from(head.range(7, 0, Number.MAX_SAFE_INTEGER).values)).toEqual([7]);
    expect(Array.from(head.range(9, 0, Number.MAX_SAFE_INTEGER).values)).toEqual([8]);
    expect(head.size).toBe(2);
  });

  it('keeps the intake watermark at the oldest record a series still needs when nothing of it can close', () => {
    const head = new Head();
    // Series 1: a closed minute (intake 1) and an open one (intakes 2, 3); series 2: only the open minute (intake 4).
    head.append(1, Float64Array.of(T0), Float64Array.of(1), 1);
    head.append(1, Float64Array.of(T0 + WINDOW_MS), Float64Array.of(2), 2);
    head.append(1, Float64Array.of(T0 + WINDOW_MS + 500), Float64Array.of(3), 3);
    head.append(2, Float64Array.of(T0 + WINDOW_MS), Float64Array.of(4), 4);
    const plan = head.plan(T0 + WINDOW_MS + 1_000, 10_000);
    expect(plan.series.map((s) => [s.seriesId, Array.from(s.ts)])).toEqual([[1, [T0]]]);
    expect(plan.watermark).toBe(2);
    head.commit(plan);
    // Nothing closes now; series 2 (all in its open window) is skipped, series 1 needs intake 2.
    const next = head.plan(T0 + WINDOW_MS + 1_500, 10_000);
    expect(next.series).toEqual([]);
    expect(next.watermark).toBe(2);
    expect(head.size).toBe(3);
  });
});

describe('head plan and intake records', () => {
  it('cuts a closed point only when nothing of its intake record stays in the head', () => {
    const head = new Head();
    // Record 1 (a group commit of two ticks) straddles the minute: series 1 has a point on each side.
    head.append(1, Float64Array.of(T0 + WINDOW_MS - 500, T0 + WINDOW_MS), Float64Array.of(1, 2), 1);
    head.append(2, Float64Array.of(T0 + WINDOW_MS - 500), Float64Array.of(3), 1);
    head.append(2, Float64Array.of(T0 + WINDOW_MS + 500), Float64Array.of(4), 2);
    const now = T0 + WINDOW_MS + 1_000;
    const first = head.plan(now, 10_000);
    expect(first.series, 'record 1 still has a point in an open window').toEqual([]);
    expect(first.watermark).toBe(1);
    // Record 3 later: the open minute closes for both series, record 1 can go.
    head.append(1, Float64Array.of(T0 + 2 * WINDOW_MS), Float64Array.of(5), 3);
    head.append(2, Float64Array.of(T0 + 2 * WINDOW_MS), Float64Array.of(6), 3);
    const next = head.plan(now, 10_000);
    expect(next.series.map((s) => [s.seriesId, Array.from(s.ts)])).toEqual([[1, [T0 + WINDOW_MS - 500, T0 + WINDOW_MS]], [2, [T0 + WINDOW_MS - 500, T0 + WINDOW_MS + 500]]]);
    expect(next.watermark).toBe(3);
    head.commit(next);
    expect(head.size).toBe(2);
  });
  it('after: the points from a ts on, by search while they came in order and by scan once one came late', () => {
    const head = new Head();
    head.append(1, Float64Array.of(T0, T0 + 500, T0 + 1_000, T0 + 1_500), Float64Array.of(1, 2, 3, 4), 1);
    expect(head.after(1, T0 + 600)).toEqual({ ts: Float64Array.of(T0 + 1_000, T0 + 1_500), values: Float64Array.of(3, 4) });
    expect(head.after(1, T0 + 2_000).ts.length).toBe(0);
    expect(head.after(2, T0).ts.length).toBe(0);
    // A late point: still every point from the ts on, sorted.
    head.append(1, Float64Array.of(T0 + 700, T0 + 2_000), Float64Array.of(9, 5), 2);
    expect(head.after(1, T0 + 600)).toEqual({ ts: Float64Array.of(T0 + 700, T0 + 1_000, T0 + 1_500, T0 + 2_000), values: Float64Array.of(9, 3, 4, 5) });
    for (const from of [T0, T0 + 501, T0 + 1_500]) expect(head.after(1, from)).toEqual(head.range(1, from, Number.MAX_SAFE_INTEGER));
  });
});
