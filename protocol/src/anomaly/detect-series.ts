/**
 * A whole series through one AnomalyDetector, in time order: what `sigmascope detect`, the
 * collector's per-series anomaly chart and the NAB bench compute, so the three agree with the
 * agent's live watch point for point. Pure.
 */
import type { AnomalyOptions } from './anomaly-options.ts';
import { DEFAULT_ANOMALY_OPTIONS } from './anomaly-options.ts';
import { AnomalyDetector } from './anomaly-detector.ts';

/** One anomaly event: the first anomalous point of an episode. `index` is 0-based in the input. */
export interface DetectedAnomaly {
  readonly index: number;
  readonly ts: number;
  readonly value: number;
  readonly score: number;
  /** The rolling median the value was compared with (series unit). */
  readonly baseline: number;
}

export interface DetectionResult {
  /** The score of every input point (0 while warming up and for skipped values). */
  readonly scores: Float64Array;
  readonly anomalies: readonly DetectedAnomaly[];
  /** Points judged (not warming up, not skipped). */
  readonly judged: number;
  /** Points in an anomalous state (episodes' later points included). */
  readonly anomalous: number;
}

/** Runs `values` (with their `ts`, ascending) through a fresh detector. */
export function detectAnomalies(ts: ArrayLike<number>, values: ArrayLike<number>, options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS): DetectionResult {
  if (ts.length !== values.length) throw new RangeError(`${ts.length} timestamps for ${values.length} values`);
  const d = new AnomalyDetector(options);
  const scores = new Float64Array(values.length);
  const anomalies: DetectedAnomaly[] = [];
  let judged = 0;
  let anomalous = 0;
  for (let i = 0; i < values.length; i++) {
    const v = d.push(ts[i] as number, values[i] as number);
    if (v === null || v.state === 'warmup') continue;
    judged++;
    scores[i] = v.score;
    if (v.state === 'anomalous') anomalous++;
    if (v.event) anomalies.push({ index: i, ts: v.ts, value: v.value, score: v.score, baseline: v.baseline as number });
  }
  return { scores, anomalies, judged, anomalous };
}
