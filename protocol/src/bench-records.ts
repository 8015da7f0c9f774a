/**
 * The shapes of benchmark results that cross parts: a target's summary as run.json keeps it
 * (written by `bench run`, read by the dashboard) and a stored run's listing (the collector's
 * GET /api/v1/runs, the dashboard's runs list). docs/bench.md describes every field.
 */
import type { LatencySummary } from './stats/latency-summary.ts';

/** run.json's summary of one target (or of one sweep stage). */
export interface TargetSummary {
  readonly requests: number;
  readonly errors: number;
  readonly ttft_ms: LatencySummary | null;
  readonly tpot_ms: LatencySummary | null;
  readonly itl_ms: LatencySummary | null;
  readonly e2e_ms: LatencySummary | null;
  readonly output_tokens_per_s: number | null;
  readonly requests_per_s: number | null;
  readonly goodput_rps: number | null;
  readonly check_pass_rate: number | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: number | null;
  readonly window_s: number;
}

/** A summary plus, for a sweep, one per stage (its `rate` first). */
export type SummaryWithStages = TargetSummary & { readonly stages?: readonly (TargetSummary & { readonly rate: number })[] };

/** What the runs list shows of a stored run. */
export interface RunListing {
  readonly id: string;
  readonly suiteName: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly uploadedAt: number;
  readonly uploadedBy: string;
  readonly requests: number;
}
