/**
 * The detector's thresholds. Probe series are judged on the median of their last 8 runs (at a
 * probe every 2–5 s, 16–40 s of runs; one slow run moves a median of 8 very little), telemetry
 * on the median of its last three 10 s bucket means. A shift opens at a median-shift z of 4.5
 * (about 3·10⁻⁶ one-sided for a normal sample, checked twice in a row) and closes below 2.
 */
import type { WatchThresholds } from './series-watch.ts';

export interface DetectorOptions {
  readonly probe: WatchThresholds;
  readonly telemetry: WatchThresholds;
  /** How often new series are looked for (ms). */
  readonly discoverEveryMs: number;
  /** New series one pass starts following at most (each one's history is read from the store). */
  readonly maxNewPerPass: number;
}

/** Settings of the collector config (`incidents:`) the detector depends on. */
export interface DetectorSettings {
  readonly baselineMs: number;
  readonly rebaselineAfterMs: number;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = { baselineMs: 10 * 60_000, rebaselineAfterMs: 60 * 60_000 };

/** The thresholds for `settings`. */
export function detectorOptions(settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS): DetectorOptions {
  const common = { openZ: 4.5, closeZ: 2, guardMs: 120_000, refreshMs: 120_000, baselineMs: settings.baselineMs, rebaselineAfterMs: settings.rebaselineAfterMs };
  return {
    // 256 runs: 10 minutes of baseline at a probe every 2.5 s; fewer minutes at faster rates.
    probe: { ...common, window: 8, minBaseline: 20, staleMs: 90_000, capacity: 256 },
    // 10 s buckets: the baseline window plus the guard, and room to spare.
    telemetry: { ...common, window: 3, minBaseline: 12, staleMs: 45_000, capacity: Math.ceil((settings.baselineMs + 180_000) / 10_000) },
    discoverEveryMs: 15_000,
    maxNewPerPass: 2_000,
  };
}
