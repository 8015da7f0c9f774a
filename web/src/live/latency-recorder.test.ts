import { describe, expect, it } from 'vitest';
import { LatencyRecorder, quantile } from './latency-recorder.ts';

describe('LatencyRecorder', () => {
  it('reports nearest-rank quantiles of the recent latencies', () => {
    const r = new LatencyRecorder(100);
    r.record(1000, Array.from({ length: 100 }, (_, i) => 1000 - (i + 1))); // latencies 1..100
    const rep = r.report();
    expect(rep.frames).toBe(1);
    expect(rep.p50).toBe(50);
    expect(rep.p99).toBe(99);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('keeps only the newest values, in order', () => {
    const r = new LatencyRecorder(3);
    r.record(10, [9, 8, 7, 6]); // 1, 2, 3, 4
    r.record(20, [15]); // 5
    expect(r.report().values).toEqual([3, 4, 5]);
  });
});
