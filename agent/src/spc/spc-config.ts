/**
 * Which series the agent watches with SPC, and how. Part of the agent's config file (`spc:`);
 * parsed once at start-up, frozen, passed to SpcWatch. A bad value throws ConfigError naming it.
 *
 *   spc:
 *     enabled: true
 *     maxSeries: 256
 *     quietPoints: 10               # a rule silent this many plotted points ends its episode
 *     series:                       # replaces the defaults when given
 *       - metric: hw.gpu.temperature
 *         labels: {}                # only series carrying these labels (default: any)
 *         chart: xbar-s             # individuals | xbar-r | xbar-s
 *         subgroup: 20              # observations per plotted point (1 for individuals)
 *         baseline: 30              # plotted points that set the limits
 *         rules: nelson1,nelson2,nelson5
 *         transform: none           # none | log
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { section } from '@sigmascope/protocol/config-fields';
import { PROBE_DEFAULTS, TELEMETRY_DEFAULTS } from '@sigmascope/protocol/spc/series-defaults';
import { Metric } from '@sigmascope/protocol/metrics';
import type { Labels } from '@sigmascope/protocol/series';
import { TRANSFORMS, type Transform } from '@sigmascope/protocol/spc/chart';
import { isSubgroupSize } from '@sigmascope/protocol/spc/constants';
import { CHART_TYPES, type ChartType } from '@sigmascope/protocol/spc/estimate';
import { parseRuleList, type RuleId } from '@sigmascope/protocol/spc/rules';

/** How one metric (optionally narrowed by labels) is charted. */
export interface SpcSeriesConfig {
  readonly metric: string;
  readonly labels: Labels;
  readonly chart: ChartType;
  readonly subgroup: number;
  readonly baseline: number;
  readonly rules: readonly RuleId[];
  readonly transform: Transform;
}

/** The whole `spc` section, frozen. */
export interface SpcConfig {
  readonly enabled: boolean;
  /** Series watched at most; further matching series are counted, not watched (bounded memory). */
  readonly maxSeries: number;
  /**
   * A rule that keeps firing on a series is one episode and one event; the episode ends after
   * this many plotted points without a hit of that rule, and the next hit is a new event.
   */
  readonly quietPoints: number;
  readonly series: readonly SpcSeriesConfig[];
}

// The conventions the collector's charts use too (protocol/src/spc/series-defaults.ts).
const TELEMETRY = { labels: {}, ...TELEMETRY_DEFAULTS } as const;
const PROBE = { labels: {}, ...PROBE_DEFAULTS } as const;

/** GPU temperature and utilization on rational subgroups; probe TTFT and duration per probe. */
export const DEFAULT_SPC_CONFIG: SpcConfig = Object.freeze({
  enabled: true,
  maxSeries: 256,
  quietPoints: 10,
  series: Object.freeze([
    { metric: Metric.gpuTemperature, ...TELEMETRY },
    { metric: Metric.gpuUtilization, ...TELEMETRY },
    { metric: Metric.genAiTimeToFirstChunk, ...PROBE },
    { metric: Metric.genAiDuration, ...PROBE },
  ]),
});

const TOP_KEYS = ['enabled', 'maxSeries', 'quietPoints', 'series'];
const SERIES_KEYS = ['metric', 'labels', 'chart', 'subgroup', 'baseline', 'rules', 'transform'];

/** Validates the `spc` section (`where` prefixes messages, e.g. `agent.yaml: spc`). Undefined → defaults. */
export function parseSpcConfig(raw: unknown, where: string): SpcConfig {
  if (raw === undefined || raw === null) return DEFAULT_SPC_CONFIG;
  const obj = record(raw, where);
  onlyKeys(obj, TOP_KEYS, where);
  const enabled = obj.enabled === undefined ? true : bool(obj.enabled, `${where}.enabled`);
  const maxSeries = obj.maxSeries === undefined ? DEFAULT_SPC_CONFIG.maxSeries : int(obj.maxSeries, `${where}.maxSeries`, 1, 100_000);
  const quietPoints = obj.quietPoints === undefined ? DEFAULT_SPC_CONFIG.quietPoints : int(obj.quietPoints, `${where}.quietPoints`, 0, 1_000_000);
  let series = DEFAULT_SPC_CONFIG.series;
  if (obj.series !== undefined) {
    if (!Array.isArray(obj.series)) throw new ConfigError(`${where}.series`, 'expects a list');
    series = obj.series.map((s, i) => seriesConfig(s, `${where}.series[${i}]`));
  }
  return Object.freeze({ enabled, maxSeries, quietPoints, series: Object.freeze(series) });
}

function seriesConfig(raw: unknown, where: string): SpcSeriesConfig {
  const o = record(raw, where);
  onlyKeys(o, SERIES_KEYS, where);
  if (typeof o.metric !== 'string' || o.metric === '') throw new ConfigError(`${where}.metric`, 'a metric name is required');
  const labels: Record<string, string> = {};
  if (o.labels !== undefined) {
    for (const [k, v] of Object.entries(record(o.labels, `${where}.labels`))) {
      if (typeof v !== 'string') throw new ConfigError(`${where}.labels.${k}`, `${JSON.stringify(v)} is not a string`);
      labels[k] = v;
    }
  }
  const chart = o.chart === undefined ? 'individuals' : choice(o.chart, CHART_TYPES, `${where}.chart`);
  const subgroup = o.subgroup === undefined ? (chart === 'individuals' ? 1 : 10) : int(o.subgroup, `${where}.subgroup`, 1, 25);
  if (chart === 'individuals' && subgroup !== 1) throw new ConfigError(`${where}.subgroup`, `${subgroup}: an individuals chart plots single values (use xbar-r or xbar-s for subgroups)`);
  if (chart !== 'individuals' && !isSubgroupSize(subgroup)) throw new ConfigError(`${where}.subgroup`, `${subgroup}: ${chart} needs subgroups of 2..25`);
  const baseline = o.baseline === undefined ? 30 : int(o.baseline, `${where}.baseline`, chart === 'individuals' ? 2 : 1, 10_000);
  let rules: readonly RuleId[] = ['nelson1', 'nelson2', 'nelson5'];
  if (o.rules !== undefined) {
    const text = Array.isArray(o.rules) ? o.rules.join(',') : o.rules;
    if (typeof text !== 'string') throw new ConfigError(`${where}.rules`, `${JSON.stringify(o.rules)} is not a rule list`);
    const parsed = parseRuleList(text);
    if (!parsed.ok) throw new ConfigError(`${where}.rules`, parsed.error);
    rules = parsed.rules;
  }
  const transform = o.transform === undefined ? 'none' : choice(o.transform, TRANSFORMS, `${where}.transform`);
  return Object.freeze({ metric: o.metric, labels: Object.freeze(labels), chart, subgroup, baseline, rules, transform });
}

function record(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(where, `${JSON.stringify(raw)} is not a mapping`);
  return raw as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
  section(o, where, allowed);
}

function bool(v: unknown, where: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(where, `${JSON.stringify(v)} is not true or false`);
  return v;
}

function int(v: unknown, where: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError(where, `${JSON.stringify(v)} is not an integer in [${min}, ${max}]`);
  return v;
}

function choice<T extends string>(v: unknown, allowed: readonly T[], where: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new ConfigError(where, `${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
  return v as T;
}
