/**
 * How a series is charted when nobody said: the conventions of docs/spc.md. Telemetry sampled at
 * 2 Hz is autocorrelated, so it is charted as means of rational subgroups (X̄-S of 20 samples,
 * 10 s); probe latencies are one point per probe, log-transformed because latency is right-skewed.
 */
import type { ChartType } from './estimate.ts';
import type { Transform } from './chart.ts';

export interface SeriesChartDefaults {
  readonly chart: ChartType;
  readonly subgroup: number;
  readonly transform: Transform;
}

const PER_PROBE = /^(gen_ai\.client\.|sigmascope\.probe\.)/;

/** The default chart for a metric name. */
export function chartDefaultsFor(metric: string): SeriesChartDefaults {
  return PER_PROBE.test(metric) ? { chart: 'individuals', subgroup: 1, transform: 'log' } : { chart: 'xbar-s', subgroup: 20, transform: 'none' };
}
