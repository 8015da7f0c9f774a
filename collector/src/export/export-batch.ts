/**
 * What an exporter sends: series named as the collector stores them (OpenTelemetry names and
 * attributes) with the agent and host they came from, each with its points ascending by ts.
 * Every exporter translates from this one shape (Prometheus names, OTLP data points).
 */
import type { Labels } from '@sigmascope/protocol/series';

export interface ExportSeries {
  /** The agent id (the token's name) and its host name: `agent` and `host` on every exported series. */
  readonly agent: string;
  readonly host: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ts: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /**
   * The store's id of the series, when it came from the intake: encoders cache what they derive
   * from the name and labels under it (the labels are the same for every batch).
   */
  readonly seriesId?: number;
}

export interface ExportBatch {
  readonly series: readonly ExportSeries[];
}

/** Samples in a batch. */
export function batchSamples(batch: ExportBatch): number {
  let n = 0;
  for (const s of batch.series) n += s.ts.length;
  return n;
}
