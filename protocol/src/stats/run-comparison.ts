/**
 * Two benchmark runs compared, target by target and metric by metric, from their per-request
 * records: what `bench compare`, the collector's /api/v1/runs/compare and the dashboard's
 * comparison page all show. Successful requests only; Holm over the whole family; a verdict each
 * (see sample-comparison.ts); seeded bootstrap intervals of each side's p95.
 *
 * Per-request metrics: ttft_ms, tpot_ms, e2e_ms, itl_ms (the request's mean gap between chunks)
 * — lower is better — and output_tokens_per_s (output tokens over the time after the first
 * token) — higher is better.
 */
import { bootstrapPercentileCi } from './bootstrap.ts';
import { compareSamples, judgeFamily } from './sample-comparison.ts';
import type { JudgedComparison, SampleComparison } from './sample-comparison.ts';

export const RUN_METRICS = ['ttft_ms', 'tpot_ms', 'e2e_ms', 'itl_ms', 'output_tokens_per_s'] as const;
export type RunMetric = (typeof RUN_METRICS)[number];
export const DEFAULT_RUN_METRICS: readonly RunMetric[] = ['ttft_ms', 'tpot_ms', 'e2e_ms'];
const HIGHER_IS_BETTER: ReadonlySet<RunMetric> = new Set(['output_tokens_per_s']);

/** The fields of a requests.jsonl line a comparison reads. */
export interface RequestSample {
  readonly target: string;
  readonly ok: boolean;
  readonly ttft_ms: number | null;
  readonly tpot_ms: number | null;
  readonly e2e_ms: number;
  readonly itl_ms: readonly number[];
  readonly output_tokens: number | null;
}

/** One side: a run's id, its targets, its requests. */
export interface RunSide {
  readonly id: string;
  readonly targets: readonly string[];
  readonly requests: readonly RequestSample[];
}

export type RunComparison = JudgedComparison<SampleComparison & { readonly target: string; readonly metric: RunMetric; readonly p95_ci: { readonly a: readonly [number, number] | null; readonly b: readonly [number, number] | null } }>;

export interface CompareResult {
  readonly a: string;
  readonly b: string;
  readonly threshold: number;
  readonly alpha: number;
  readonly comparisons: readonly RunComparison[];
  readonly regressions: number;
  /** Targets in only one of the runs (not compared). */
  readonly unmatched: readonly string[];
}

/** The value of `metric` for one request, or null when it has none. */
export function metricValue(r: RequestSample, metric: RunMetric): number | null {
  if (!r.ok) return null;
  switch (metric) {
    case 'itl_ms':
      return r.itl_ms.length === 0 ? null : r.itl_ms.reduce((s, x) => s + x, 0) / r.itl_ms.length;
    case 'output_tokens_per_s':
      return r.output_tokens !== null && r.ttft_ms !== null && r.e2e_ms > r.ttft_ms ? r.output_tokens / ((r.e2e_ms - r.ttft_ms) / 1000) : null;
    default:
      return r[metric];
  }
}

function valuesOf(requests: readonly RequestSample[], target: string, metric: RunMetric): number[] {
  return requests.filter((r) => r.target === target).map((r) => metricValue(r, metric)).filter((v): v is number => v !== null && Number.isFinite(v));
}

/** Compares run A (baseline) with run B. */
export function compareRunSides(a: RunSide, b: RunSide, metrics: readonly RunMetric[], o: { threshold: number; alpha: number }): CompareResult {
  const inB = new Set(b.targets);
  const both = a.targets.filter((t) => inB.has(t));
  const family = both.flatMap((target) =>
    metrics.map((metric) => {
      const xa = valuesOf(a.requests, target, metric);
      const xb = valuesOf(b.requests, target, metric);
      const ci = (x: number[]): readonly [number, number] | null => (x.length === 0 ? null : bootstrapPercentileCi(x, 0.95, { seed: 1, resamples: 1000, alpha: o.alpha }));
      return { target, metric, ...compareSamples(xa, xb, o), p95_ci: { a: ci(xa), b: ci(xb) } };
    }),
  );
  const comparisons = judgeFamily(family, o, (c) => HIGHER_IS_BETTER.has(c.metric));
  return {
    a: a.id, b: b.id, threshold: o.threshold, alpha: o.alpha, comparisons,
    regressions: comparisons.filter((c) => c.verdict === 'regression').length,
    unmatched: [...a.targets.filter((t) => !inB.has(t)), ...b.targets.filter((t) => !a.targets.includes(t))],
  };
}
