/**
 * `bench compare`'s result: for every target present in both runs and every metric asked, the
 * per-request values of A against B (successful requests only) through protocol/stats, then Holm
 * over the whole family and a verdict each (a practical change and an adjusted p, see
 * sample-comparison.ts), plus seeded bootstrap intervals of each side's p95.
 *
 * Per-request metrics: ttft_ms, tpot_ms, e2e_ms, itl_ms (the request's mean gap between chunks)
 * — lower is better — and output_tokens_per_s (output tokens over the time after the first
 * token) — higher is better.
 */
import { bootstrapPercentileCi } from '@sigmascope/protocol/stats/bootstrap';
import { compareSamples, judgeFamily } from '@sigmascope/protocol/stats/sample-comparison';
import type { JudgedComparison, SampleComparison } from '@sigmascope/protocol/stats/sample-comparison';
import type { RequestRecord } from '../output/request-record.ts';
import type { LoadedRun } from '../output/run-files.ts';

export const METRICS = ['ttft_ms', 'tpot_ms', 'e2e_ms', 'itl_ms', 'output_tokens_per_s'] as const;
export type Metric = (typeof METRICS)[number];
export const DEFAULT_METRICS: readonly Metric[] = ['ttft_ms', 'tpot_ms', 'e2e_ms'];
const HIGHER_IS_BETTER: ReadonlySet<Metric> = new Set(['output_tokens_per_s']);

export type RunComparison = JudgedComparison<SampleComparison & { readonly target: string; readonly metric: Metric; readonly p95_ci: { readonly a: readonly [number, number] | null; readonly b: readonly [number, number] | null } }>;

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
export function metricValue(r: RequestRecord, metric: Metric): number | null {
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

function valuesOf(requests: readonly RequestRecord[], target: string, metric: Metric): number[] {
  return requests.filter((r) => r.target === target).map((r) => metricValue(r, metric)).filter((v): v is number => v !== null && Number.isFinite(v));
}

/** Compares run A (baseline) with run B. */
export function compareRuns(a: LoadedRun, b: LoadedRun, metrics: readonly Metric[], o: { threshold: number; alpha: number }): CompareResult {
  const targetsA = Object.keys(a.run.summary);
  const targetsB = new Set(Object.keys(b.run.summary));
  const both = targetsA.filter((t) => targetsB.has(t));
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
    a: a.run.id, b: b.run.id, threshold: o.threshold, alpha: o.alpha, comparisons,
    regressions: comparisons.filter((c) => c.verdict === 'regression').length,
    unmatched: [...targetsA.filter((t) => !targetsB.has(t)), ...[...targetsB].filter((t) => !targetsA.includes(t))],
  };
}
