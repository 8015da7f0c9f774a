/**
 * What an exporter must know of each metric beyond its name: its unit (UCUM, as the OpenTelemetry
 * semantic conventions give it) and its kind: a `gauge` is a value at a time, a `counter` a
 * monotonic running total (an OpenTelemetry monotonic Sum). The Prometheus names (unit and
 * `_total` suffixes) and the OTLP data points are derived from these. A metric not listed (a
 * user's own) exports as a gauge without a unit.
 */
import { Metric } from '@sigmascope/protocol/metrics';
import { AgentInfoMetric } from './agent-info.ts';

export type MetricKind = 'gauge' | 'counter';

export interface MetricShape {
  readonly unit: string;
  readonly kind: MetricKind;
}

const gauge = (unit: string): MetricShape => ({ unit, kind: 'gauge' });
const counter = (unit: string): MetricShape => ({ unit, kind: 'counter' });

const CATALOG: ReadonlyMap<string, MetricShape> = new Map<string, MetricShape>([
  [Metric.cpuUtilization, gauge('1')],
  [Metric.cpuLoadAverage1m, gauge('{thread}')],
  [Metric.memoryUsage, gauge('By')],
  [Metric.memoryLimit, gauge('By')],
  [Metric.memoryUtilization, gauge('1')],
  [Metric.networkIo, counter('By')],
  [Metric.diskIo, counter('By')],
  [Metric.gpuUtilization, gauge('1')],
  [Metric.gpuMemoryUsage, gauge('By')],
  [Metric.gpuMemoryLimit, gauge('By')],
  [Metric.gpuMemoryUtilization, gauge('1')],
  [Metric.gpuTemperature, gauge('Cel')],
  [Metric.gpuPowerDraw, gauge('W')],
  [Metric.gpuClockGraphics, gauge('Hz')],
  [Metric.gpuClockMemory, gauge('Hz')],
  [Metric.hwErrors, counter('{error}')],
  [Metric.genAiDuration, gauge('s')],
  [Metric.genAiTimeToFirstChunk, gauge('s')],
  [Metric.genAiTimePerOutputChunk, gauge('s')],
  [Metric.genAiTokenUsage, gauge('{token}')],
  [Metric.probeDnsDuration, gauge('s')],
  [Metric.probeConnectDuration, gauge('s')],
  [Metric.probeTlsDuration, gauge('s')],
  [Metric.probeTimeToFirstByte, gauge('s')],
  [Metric.probeOutputTokensPerSecond, gauge('{token}/s')],
  [Metric.probeCost, gauge('{USD}')],
  [Metric.genAiServerTimeToFirstToken, gauge('s')],
  [Metric.genAiServerTimePerOutputToken, gauge('s')],
  [Metric.inferenceRequestsWaiting, gauge('{request}')],
  [Metric.inferenceRequestsRunning, gauge('{request}')],
  [Metric.inferenceKvCacheUtilization, gauge('1')],
  [Metric.inferenceModelsLoaded, gauge('{model}')],
  [Metric.inferenceModelMemoryUsage, gauge('By')],
  [Metric.agentCpuUtilization, gauge('1')],
  [Metric.agentMemoryRss, gauge('By')],
  [AgentInfoMetric.info, gauge('')],
  [AgentInfoMetric.connected, gauge('')],
  [AgentInfoMetric.samples, counter('{sample}')],
  [AgentInfoMetric.lastSeq, gauge('')],
  [AgentInfoMetric.clockSkew, gauge('s')],
  [AgentInfoMetric.firstSeen, gauge('s')],
  [AgentInfoMetric.lastSeen, gauge('s')],
  [AgentInfoMetric.quarantined, counter('{sample}')],
]);

const UNKNOWN: MetricShape = { unit: '', kind: 'gauge' };

/** The unit and kind of a metric (a gauge without a unit when the catalog does not know it). */
export function metricShape(name: string): MetricShape {
  return CATALOG.get(name) ?? UNKNOWN;
}

/** Every metric the catalog knows, for reverse lookups (Prometheus name → OpenTelemetry name). */
export function catalogNames(): readonly string[] {
  return [...CATALOG.keys()];
}
