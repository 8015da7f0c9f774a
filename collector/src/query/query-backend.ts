/**
 * Where the collector's query API reads series from: the `QueryBackend` port. `local` (the
 * default) reads the embedded store; `prometheus` reads a time-series engine's Prometheus HTTP
 * API with PromQL, so every collector that remote-writes to one engine shows the whole fleet. The
 * routes and the dashboard see the same answers either way: series named and labelled as agents
 * send them (OpenTelemetry names), `agent` apart from the labels.
 *
 * Every method is async (an engine is a network away) and bounded (at most `limit` series, the
 * answer says `truncated`). A backend throws QueryBackendError when its engine cannot answer;
 * the API turns that into a 502 naming the engine's error.
 */
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { Labels } from '@sigmascope/protocol/series';
import type { AgentInfo, SeriesQuery, SeriesResult } from '../store/store.ts';
import type { LabelMatcher } from './label-match.ts';
import type { LastValue } from './last-values.ts';
import type { PercentileRow } from './percentiles.ts';
import type { BucketAgg } from './series-buckets.ts';
import type { TopRow } from './top-k.ts';

/** A metric and label matchers (`agent` among them), as the query routes take them. */
export interface SeriesSelector {
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
  /** At most this many series. */
  readonly limit: number;
}

/** An agent as the fleet view lists it. */
export interface AgentView extends AgentInfo {
  readonly connected: boolean;
}

export interface RangeSeries {
  readonly agent: string;
  readonly labels: Labels;
  readonly points: [number, number][];
}

export interface RangeAnswer {
  readonly series: RangeSeries[];
  /** `raw`, or the resolution the buckets came from (a local tier, or `promql`). */
  readonly resolution: string;
  readonly truncated: boolean;
}

export interface QueryBackend {
  readonly name: 'local' | 'prometheus';
  /** Every metric name with at least one series, sorted. */
  metricNames(): Promise<string[]>;
  /** Every known agent (the prometheus backend: from the agent info series). */
  agents(): Promise<AgentView[]>;
  /** GET /api/v1/series: raw points, or bucket averages at `stepMs`. */
  series(q: SeriesQuery): Promise<SeriesResult[]>;
  /** Raw points (`stepMs` undefined), or `agg` per step bucket [start, start + step); newest `limit` points per series. */
  range(sel: SeriesSelector, from: number, to: number, stepMs: number | undefined, agg: BucketAgg, limit: number): Promise<RangeAnswer>;
  /** The newest point of every matching series. */
  last(sel: SeriesSelector): Promise<{ rows: LastValue[]; truncated: boolean }>;
  /** Percentiles of the samples in [from, to) per group of series. */
  percentiles(sel: SeriesSelector, by: readonly string[], qs: readonly number[], from: number, to: number): Promise<{ groups: PercentileRow[]; truncated: boolean }>;
  /** The k groups with the highest (or lowest) `agg` over [from, to]. */
  topK(sel: SeriesSelector, by: readonly string[], agg: BucketAgg, k: number, order: 'desc' | 'asc', from: number, to: number): Promise<{ rows: TopRow[]; truncated: boolean }>;
  /** The providers table over [from, to). */
  providers(from: number, to: number): Promise<ProviderRow[]>;
}

/** The engine behind a backend could not answer (unreachable, an error, a malformed answer). */
export class QueryBackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryBackendError';
  }
}
