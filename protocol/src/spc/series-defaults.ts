/**
 * How a series is charted when nobody said: the conventions of docs/spc.md, shared by the agent's
 * watch (its default config) and the collector's chart (GET /api/v1/spc), so a violation the
 * agent raised opens on the chart type and rules that raised it. Telemetry sampled at 2 Hz is
 * autocorrelated, so it is charted as means of rational subgroups (X̄-S of 20 samples, 10 s),
 * with shift rules only; probe latencies are one point per probe, log-transformed because latency
 * is right-skewed, with trend and small-shift rules too.
 */
import type { ChartType } from './estimate.ts';
import type { Transform } from './chart.ts';
import type { RuleId } from './rules.ts';

export interface SeriesChartDefaults {
  readonly chart: ChartType;
  readonly subgroup: number;
  readonly transform: Transform;
  /** The rules the agent's default watch checks, and the chart's default. */
  readonly rules: readonly RuleId[];
  /** Plotted points the agent's default watch takes as its baseline. */
  readonly baseline: number;
}

const PER_PROBE = /^(gen_ai\.client\.|sigmascope\.probe\.)/;

/** Rational subgroups of 2 Hz telemetry. */
export const TELEMETRY_DEFAULTS: SeriesChartDefaults = Object.freeze({ chart: 'xbar-s', subgroup: 20, transform: 'none', rules: Object.freeze(['nelson1', 'nelson2', 'nelson5'] as RuleId[]), baseline: 30 });
/** One point per completed probe, on a log scale. */
export const PROBE_DEFAULTS: SeriesChartDefaults = Object.freeze({ chart: 'individuals', subgroup: 1, transform: 'log', rules: Object.freeze(['nelson1', 'nelson2', 'nelson3', 'nelson5', 'nelson6'] as RuleId[]), baseline: 20 });

/** The default chart for a metric name. */
export function chartDefaultsFor(metric: string): SeriesChartDefaults {
  return PER_PROBE.test(metric) ? PROBE_DEFAULTS : TELEMETRY_DEFAULTS;
}
