/**
 * One row of a host's capacity answer (`GET /api/v1/capacity`): what the collector forecasts and
 * the dashboard's capacity row words. Times in ms.
 */
import type { Labels } from './series.ts';

/** When a limit is reached, in ms from the answer's `now`; null: not within the horizon. */
export interface Reach {
  readonly expected: number | null;
  /** By the interval's bound toward the limit (the upper bound for a rising series). */
  readonly earliest: number | null;
  readonly latest: number | null;
}

export interface CapacityRow {
  readonly kind: 'gpu_memory' | 'kv_cache' | 'probe_spend' | 'latency';
  /** What a person reads first: "GPU 0", "Llama-3.1-8B", "probes", "openai gpt-4o-mini". */
  readonly label: string;
  readonly labels: Labels;
  readonly unit: 'bytes' | 'ratio' | 'usd' | 'seconds';
  readonly current: number;
  readonly limit: number | null;
  /** When `limit` is reached (GPU memory, KV cache, budget); null when there is none to reach. */
  readonly reach: Reach | null;
  /** The forecast at the end of the horizon (spend: by midnight UTC; latency: in one hour), with its interval. */
  readonly ahead: { readonly at: number; readonly value: number; readonly lower: number; readonly upper: number } | null;
  /** Latency only: the relative change per hour of the trend (0.04 = +4 %/h). */
  readonly trendPerHour?: number;
  /** The forecast's model (ETS kind), null when none could be fitted. */
  readonly model: string | null;
}

/** The whole answer. */
export interface CapacityResult {
  readonly agent: string;
  readonly now: number;
  readonly lookbackMs: number;
  readonly horizonMs: number;
  readonly level: number;
  readonly rows: readonly CapacityRow[];
}
