/**
 * One row of the collector's provider comparison (`GET /api/v1/providers`): what the collector
 * computes and the dashboard draws. Latencies in seconds.
 */

/** Three quantiles; null where the window holds no value. */
export interface Quantiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface ProviderRow {
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  /** Probes run in the window (ok + failed). */
  readonly probes: number;
  readonly errors: number;
  readonly ttft: Quantiles;
  readonly duration: Quantiles;
  /** Median output tokens per second of one probe. */
  readonly tokensPerSecond: number | null;
  /** Median cost of one probe in US dollars, from the price table; null when the model has no price. */
  readonly costUsd: number | null;
}
