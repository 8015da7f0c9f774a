/**
 * Rate of a counter per second, per step: increase over the step divided by the step's seconds.
 * A drop (counter reset, e.g. an agent restart) counts the value after the drop as the increase,
 * as Prometheus' rate does; the first point only sets the baseline. Reads raw points.
 */
import type { Points } from '../store/store.ts';

/** [bucket start, increase per second] for every step bucket with at least one increase. */
export function counterRate(p: Points, stepMs: number): [number, number][] {
  const inc = new Map<number, number>();
  for (let i = 1; i < p.ts.length; i++) {
    const prev = p.values[i - 1] as number;
    const cur = p.values[i] as number;
    if (!Number.isFinite(prev) || !Number.isFinite(cur)) continue;
    const d = cur >= prev ? cur - prev : cur;
    const b = Math.floor((p.ts[i] as number) / stepMs) * stepMs;
    inc.set(b, (inc.get(b) ?? 0) + d);
  }
  return [...inc.entries()].sort((a, b) => a[0] - b[0]).map(([b, d]) => [b, d / (stepMs / 1000)]);
}
