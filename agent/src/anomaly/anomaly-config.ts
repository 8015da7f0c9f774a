/**
 * Which series the agent watches for anomalies, and how: the `anomaly:` section of the agent's
 * config file, parsed once at start-up, frozen, passed to AnomalyWatch. A bad value throws
 * ConfigError naming it.
 *
 *   anomaly:
 *     enabled: true
 *     maxSeries: 256
 *     series:                       # replaces the defaults when given
 *       - metric: hw.gpu.temperature
 *         labels: {}                # only series carrying these labels (default: any)
 *         every: 20                 # raw samples averaged into one point (20 at 2 Hz: 10 s)
 *         window: 90                # points in the rolling baseline
 *         threshold: 6              # robust σ
 *         transform: none           # none | log
 *         seasonality: daily        # none | daily | weekly
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { anomalyOptions, LIVE_ANOMALY_OPTIONS } from '@sigmascope/protocol/anomaly/anomaly-options';
import type { AnomalyOptions } from '@sigmascope/protocol/anomaly/anomaly-options';
import { boolValue, intValue, section } from '@sigmascope/protocol/config-fields';
import { Metric } from '@sigmascope/protocol/metrics';
import type { Labels } from '@sigmascope/protocol/series';

/** How one metric (optionally narrowed by labels) is watched. */
export interface AnomalySeriesConfig {
  readonly metric: string;
  readonly labels: Labels;
  /** Raw samples averaged into one detector point (1: every sample is a point). */
  readonly every: number;
  readonly options: AnomalyOptions;
}

export interface AnomalyConfig {
  readonly enabled: boolean;
  /** Series watched at most; more matching series are counted, not watched (bounded memory). */
  readonly maxSeries: number;
  readonly series: readonly AnomalySeriesConfig[];
}

// 2 Hz telemetry is autocorrelated: points of 10 s means, as the SPC watch charts them.
const telemetry = (metric: string): AnomalySeriesConfig => Object.freeze({ metric, labels: Object.freeze({}), every: 20, options: LIVE_ANOMALY_OPTIONS });
// One point per completed probe, on the log scale (latency is right-skewed).
const probe = (metric: string): AnomalySeriesConfig => Object.freeze({ metric, labels: Object.freeze({}), every: 1, options: Object.freeze({ ...LIVE_ANOMALY_OPTIONS, transform: 'log' as const }) });

/** GPU utilization, temperature, power and memory; the local server's queue; probe TTFT and duration. */
export const DEFAULT_ANOMALY_CONFIG: AnomalyConfig = Object.freeze({
  enabled: true,
  maxSeries: 256,
  series: Object.freeze([
    telemetry(Metric.gpuUtilization),
    telemetry(Metric.gpuTemperature),
    telemetry(Metric.gpuPowerDraw),
    telemetry(Metric.gpuMemoryUtilization),
    telemetry(Metric.inferenceRequestsWaiting),
    probe(Metric.genAiTimeToFirstChunk),
    probe(Metric.genAiDuration),
  ]),
});

const SERIES_KEYS = ['metric', 'labels', 'every', 'window', 'threshold', 'lambda', 'quietPoints', 'seasonality', 'utcOffsetMinutes', 'transform', 'minScale'];

/** Validates the `anomaly` section (`where` prefixes messages). Undefined → defaults. */
export function parseAnomalyConfig(raw: unknown, where: string): AnomalyConfig {
  if (raw === undefined || raw === null) return DEFAULT_ANOMALY_CONFIG;
  const s = section(raw, where, ['enabled', 'maxSeries', 'series']);
  const enabled = s.enabled === undefined ? true : boolValue(s.enabled, `${where}.enabled`);
  const maxSeries = s.maxSeries === undefined ? DEFAULT_ANOMALY_CONFIG.maxSeries : intValue(s.maxSeries, `${where}.maxSeries`, 1, 100_000);
  let series = DEFAULT_ANOMALY_CONFIG.series;
  if (s.series !== undefined) {
    if (!Array.isArray(s.series)) throw new ConfigError(`${where}.series`, 'expects a list');
    series = Object.freeze(s.series.map((x, i) => seriesConfig(x, `${where}.series[${i}]`)));
  }
  return Object.freeze({ enabled, maxSeries, series });
}

function seriesConfig(raw: unknown, where: string): AnomalySeriesConfig {
  const o = section(raw, where, SERIES_KEYS);
  if (typeof o.metric !== 'string' || o.metric === '') throw new ConfigError(`${where}.metric`, 'a metric name is required');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(section(o.labels, `${where}.labels`, Object.keys(o.labels ?? {})))) {
    if (typeof v !== 'string') throw new ConfigError(`${where}.labels.${k}`, `${JSON.stringify(v)} is not a string`);
    labels[k] = v;
  }
  const every = o.every === undefined ? 1 : intValue(o.every, `${where}.every`, 1, 3_600);
  const { metric: _m, labels: _l, every: _e, ...rest } = o;
  const parsed = anomalyOptions(rest, LIVE_ANOMALY_OPTIONS);
  if (!parsed.ok) throw new ConfigError(`${where}.${parsed.where}`, parsed.error);
  return Object.freeze({ metric: o.metric, labels: Object.freeze(labels), every, options: parsed.options });
}
