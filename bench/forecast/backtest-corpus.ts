/**
 * The real traces forecasts are backtested on, and the backtest of each: NAB's series (5-minute
 * to hourly steps; tuning and held-out files as bench/nab/nab-corpus.ts splits them) and LLMPerf's
 * per-request TTFT and end-to-end latency of five hosted Llama-2-70B endpoints (no timestamps:
 * one step per request, never used for a choice, so all held out). No GPU-memory trace is in the
 * fixtures; NAB's utilization, sensor and request series stand in for telemetry (docs/analytics.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backtest } from '../../protocol/src/forecast/backtest.ts';
import type { BacktestResult } from '../../protocol/src/forecast/backtest.ts';
import { loadNabCorpus } from '../nab/nab-corpus.ts';

export interface Trace {
  readonly name: string;
  readonly role: 'tuning' | 'held-out';
  readonly values: Float64Array;
  /** Step in ms (null: one step per request). */
  readonly stepMs: number | null;
  readonly transform: 'none' | 'log';
}

export interface TraceResult extends BacktestResult {
  readonly name: string;
  readonly role: string;
  readonly horizon: number;
  readonly train: number;
  readonly period: number | null;
  /** MAPE over the naive forecast's MAPE on the same points: below 1, the model beats carrying the last value forward. */
  readonly vsNaive: number;
  /**
   * A per-point MAPE of 15 % is within reach (a rule on the values alone, before any forecast):
   * they stay within a factor of 10 of their median (1st and 99th percentiles), and a centred
   * median of 5 points, which sees the future, misses them by at most 10 % (MAPE).
   */
  readonly forecastable: boolean;
  /** That centred median's MAPE: the point-to-point noise no forecast removes. */
  readonly noiseFloorMape: number;
}

const DAY = 86_400_000;
const PROVIDERS = ['anyscale', 'bedrock', 'groq', 'replicate', 'together'];

function quantile(values: Float64Array, q: number): number {
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** MAPE (%) of the centred median of 5 points against each value. */
function noiseFloor(v: Float64Array): number {
  let ape = 0;
  let n = 0;
  for (let i = 2; i < v.length - 2; i++) {
    if (v[i] === 0) continue;
    const w = Float64Array.from(v.subarray(i - 2, i + 3)).sort();
    ape += Math.abs((v[i] as number) - (w[2] as number)) / Math.abs(v[i] as number);
    n++;
  }
  return n === 0 ? Number.NaN : (100 * ape) / n;
}

/** Every trace, NAB's then LLMPerf's. */
export function loadTraces(fixtures: string): Trace[] {
  const out: Trace[] = [];
  for (const f of loadNabCorpus(join(fixtures, 'anomaly'))) {
    const steps = Array.from(f.ts.slice(1), (t, i) => t - (f.ts[i] as number)).sort((a, b) => a - b);
    out.push({ name: f.name, role: f.role, values: f.values, stepMs: steps[steps.length >> 1] as number, transform: 'none' });
  }
  for (const p of PROVIDERS) {
    const lines = readFileSync(join(fixtures, 'latency', `llmperf-leaderboard__${p}_70b.csv`), 'utf8').trim().split('\n');
    const header = (lines[0] as string).split(',');
    const col = (name: string): number => header.indexOf(name);
    // Requests that failed (error_code set) are not latencies of a completed request.
    const rows = lines.slice(1).map((l) => l.split(',')).filter((c) => c[col('error_code')] === '');
    for (const [metric, column] of [['ttft', 'ttft_s'], ['e2e', 'end_to_end_latency_s']] as const) {
      out.push({ name: `llmperf/${p}_70b ${metric}`, role: 'held-out', values: Float64Array.from(rows, (c) => Number(c[col(column)])), stepMs: null, transform: 'log' });
    }
  }
  return out;
}

/**
 * Backtests one trace. Timed traces: forecasts 12 steps ahead from the last week (or half the
 * file when shorter) with the daily season; per-request traces: 10 requests ahead from the last
 * 50, on the log scale, without a season. Origins every `every` steps (default a twelfth of a day,
 * or 5 requests).
 */
export function backtestTrace(t: Trace, level: number, select: 'holdout' | 'aic' = 'holdout'): TraceResult | null {
  const timed = t.stepMs !== null;
  const period = timed ? Math.round(DAY / (t.stepMs as number)) : null;
  const train = timed ? Math.min(7 * (period as number), Math.floor(t.values.length / 2)) : 50;
  const horizon = timed ? 12 : 10;
  const every = timed ? Math.max(1, Math.round((period as number) / 12)) : 5;
  const r = backtest(t.values, { horizon, level, select, train, from: train, every, transform: t.transform, ...(period !== null && period >= 2 ? { period } : {}) });
  if (r === null) return null;
  return {
    ...r, name: t.name, role: t.role, horizon, train, period,
    vsNaive: r.naiveMape > 0 ? r.mape / r.naiveMape : Number.NaN,
    noiseFloorMape: noiseFloor(t.values),
    forecastable: quantile(t.values, 0.01) >= 0.1 * quantile(t.values, 0.5) && quantile(t.values, 0.99) <= 10 * quantile(t.values, 0.5) && noiseFloor(t.values) <= 10,
  };
}
