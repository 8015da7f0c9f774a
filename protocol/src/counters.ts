/**
 * Cumulative counters among the metrics (bytes since boot, errors since the driver loaded): their
 * raw values only ever grow, so what a person or a control chart wants is their rate. Pages draw
 * counters as per-second rates and SPC charts only their rates. Pure.
 */
import { Metric } from './metrics.ts';

const COUNTERS: ReadonlySet<string> = new Set([Metric.networkIo, Metric.diskIo, Metric.hwErrors]);

/** True for a metric whose samples are a cumulative count (`system.network.io`, `system.disk.io`, `hw.errors`). */
export function isCounter(name: string): boolean {
  return COUNTERS.has(name);
}

/**
 * Per-second rates between consecutive samples of a counter, stamped at the later sample. A
 * drop is a reset (an interface that came back, a reboot): the value after it is the increase,
 * as Prometheus' rate does. Pairs less than 1 ms apart give nothing.
 */
export function counterRates(points: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < points.length; i++) {
    const [t0, v0] = points[i - 1] as readonly [number, number];
    const [t1, v1] = points[i] as readonly [number, number];
    const dt = (t1 - t0) / 1000;
    if (!(dt >= 0.001) || !Number.isFinite(v0) || !Number.isFinite(v1)) continue;
    out.push([t1, (v1 >= v0 ? v1 - v0 : v1) / dt]);
  }
  return out;
}
