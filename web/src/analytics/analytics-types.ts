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

export type { CapacityResult, CapacityRow, Reach } from '@sigmascope/protocol/capacity-row';
export type { EnergyRow } from '@sigmascope/protocol/energy-row';
