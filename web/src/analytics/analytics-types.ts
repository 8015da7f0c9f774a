/**
 * The JSON of the collector's analytics routes as the pages read it (docs/api.md, "Analytics").
 * Types only: nothing here runs.
 */
import type { Labels } from '@sigmascope/protocol/series';

/** `GET /api/v1/anomalies/series`. */
export interface AnomalySeriesResult {
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
  readonly stepMs: number | null;
  readonly threshold: number;
  readonly scores: readonly (readonly [number, number])[];
  readonly anomalies: readonly { readonly ts: number; readonly value: number; readonly baseline: number; readonly score: number }[];
}

/** `GET /api/v1/forecast`: points are [ts, forecast, lower, upper]. */
export interface ForecastResult {
  readonly agent: string;
  readonly name: string;
  readonly stepMs: number;
  readonly level: number;
  readonly kind: string;
  readonly points: readonly (readonly [number, number, number, number])[];
}

/** When a limit is reached, in ms from the answer's `now`; null: not within the horizon. */
export interface Reach {
  readonly expected: number | null;
  readonly earliest: number | null;
  readonly latest: number | null;
}

/** One row of `GET /api/v1/capacity`. */
export interface CapacityRow {
  readonly kind: 'gpu_memory' | 'kv_cache' | 'probe_spend' | 'latency';
  readonly label: string;
  readonly labels: Labels;
  readonly unit: 'bytes' | 'ratio' | 'usd' | 'seconds';
  readonly current: number;
  readonly limit: number | null;
  readonly reach: Reach | null;
  readonly ahead: { readonly at: number; readonly value: number; readonly lower: number; readonly upper: number } | null;
  readonly trendPerHour?: number;
}

export interface CapacityResult {
  readonly agent: string;
  readonly now: number;
  readonly lookbackMs: number;
  readonly horizonMs: number;
  readonly level: number;
  readonly rows: readonly CapacityRow[];
}

/** One row of `GET /api/v1/energy`. */
export interface EnergyRow {
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  readonly joulesPerToken: number | null;
  readonly interval: readonly [number, number] | null;
  readonly level: number;
  readonly tokensPerSecond: number;
  readonly watts: number;
  readonly gpus: number;
  readonly coveredMs: number;
  readonly shared: boolean;
}
