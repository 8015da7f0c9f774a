/**
 * How an anomaly travels and is stored: as an SPC event whose rule is `anomaly`, the value with
 * the rolling median as its centre and the robust scale as its σ. Version-1 collectors already
 * take, store and list such events (the rule is free text), so agents that detect anomalies need
 * no new protocol version, and the dashboard draws them where it draws violations. Pure.
 */
import type { AgentEvent, SpcViolationEvent } from '../events.ts';
import { Label, Metric } from '../metrics.ts';
import type { Labels } from '../series.ts';
import { MAX_LABELS_PER_SERIES } from '../series.ts';

/** The rule id anomalies carry. */
export const ANOMALY_RULE = 'anomaly';

/** An anomaly event of `name{labels}` at `ts`. */
export function anomalyEvent(name: string, labels: Labels, ts: number, value: number, baseline: number, scale: number): SpcViolationEvent {
  return { kind: 'spc', ts, name, labels, rule: ANOMALY_RULE, value, center: baseline, sigma: scale };
}

/** Whether an event is an anomaly (not a control-chart rule). */
export function isAnomalyEvent(e: AgentEvent): e is SpcViolationEvent {
  return e.kind === 'spc' && e.rule === ANOMALY_RULE;
}

/** The labels of a series' score series, or null when the series has no room for one more label. */
export function scoreLabels(name: string, labels: Labels): Record<string, string> | null {
  if (Object.keys(labels).length >= MAX_LABELS_PER_SERIES) return null;
  return { ...labels, [Label.anomalyMetric]: name };
}

/** The score series' metric name. */
export const SCORE_METRIC = Metric.anomalyScore;
