/**
 * Joules per output token of a host: its GPUs' power draw integrated over time, divided by the
 * output tokens its inference server counted in the same time, with a confidence interval.
 *
 *   window [from, to) cut into batches of `batchMs`:   |── b1 ──|── b2 ──|── b3 ──| …
 *   E_i = Σ_gpu ∫ power dt over batch i       (trapezoids of the samples, cut at the batch edges)
 *   N_i = Σ_counter increase over batch i      (a drop is a server restart: the new count is the increase)
 *   J/token R = Σ E_i / Σ N_i,   SE(R) = √(Σ (E_i − R·N_i)² / (B(B − 1))) / N̄      (Cochran's
 *   ratio estimator), interval R ± t_{B−1} · SE
 *
 * A batch counts only where every GPU and every counter has samples no further apart than
 * `maxGapMs` across all of it, so E and N always describe the same seconds; the rest is left out
 * and reported as uncovered. Several models on one host share its energy in proportion to their
 * tokens in each batch (`shared`). The interval is statistical only: nvidia-smi's power reading has
 * its own accuracy (a few percent, per NVIDIA), which it does not include. Pure.
 */
import { studentTQuantile } from '../student-t-quantile.ts';

/** Samples of one series, ascending in time. */
export interface TimedValues {
  readonly ts: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

export interface EnergyOptions {
  readonly from: number;
  readonly to: number;
  /** Batch length (ms); default 60 s. */
  readonly batchMs?: number;
  /** Samples further apart than this leave a hole (ms); default 5 s. */
  readonly maxGapMs?: number;
  /** Interval coverage; default 0.95. */
  readonly level?: number;
}

export interface ModelEnergy {
  readonly model: string;
  readonly tokens: number;
  readonly joules: number;
  /** null without tokens. */
  readonly joulesPerToken: number | null;
  /** The interval at `level`; null with fewer than 2 batches or without tokens. */
  readonly interval: readonly [number, number] | null;
  readonly tokensPerSecond: number;
  /** Other models drew on the same GPUs in the window. */
  readonly shared: boolean;
}

export interface HostEnergy {
  readonly joules: number;
  /** Mean power of all GPUs together over the covered time (W). */
  readonly watts: number;
  readonly batches: number;
  /** Milliseconds of the window that the batches cover. */
  readonly coveredMs: number;
  readonly level: number;
  readonly models: readonly ModelEnergy[];
}

/** Linear interpolation of a series at `t` (inside its span). */
function at(s: TimedValues, i: number, t: number): number {
  const t0 = s.ts[i] as number;
  const t1 = s.ts[i + 1] as number;
  const v0 = s.values[i] as number;
  const v1 = s.values[i + 1] as number;
  return t1 === t0 ? v1 : v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

/** First index i with ts[i + 1] > t (the interval holding t), by bisection. */
function interval(s: TimedValues, t: number): number {
  let lo = 0;
  let hi = s.ts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((s.ts[mid + 1] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the samples span [a, b] with no gap wider than `gap`. */
function covers(s: TimedValues, a: number, b: number, gap: number): boolean {
  const n = s.ts.length;
  if (n < 2 || (s.ts[0] as number) > a || (s.ts[n - 1] as number) < b) return false;
  for (let i = interval(s, a); i < n - 1 && (s.ts[i] as number) < b; i++) if ((s.ts[i + 1] as number) - (s.ts[i] as number) > gap) return false;
  return true;
}

/** ∫ of the interpolated series over [a, b] (value × ms). */
function integral(s: TimedValues, a: number, b: number): number {
  let sum = 0;
  for (let i = interval(s, a); i < s.ts.length - 1 && (s.ts[i] as number) < b; i++) {
    const lo = Math.max(a, s.ts[i] as number);
    const hi = Math.min(b, s.ts[i + 1] as number);
    if (hi > lo) sum += ((at(s, i, lo) + at(s, i, hi)) / 2) * (hi - lo);
  }
  return sum;
}

/** A counter's increase over [a, b], each interval's increase shared out by the time inside. */
function increase(s: TimedValues, a: number, b: number): number {
  let sum = 0;
  for (let i = interval(s, a); i < s.ts.length - 1 && (s.ts[i] as number) < b; i++) {
    const t0 = s.ts[i] as number;
    const t1 = s.ts[i + 1] as number;
    const lo = Math.max(a, t0);
    const hi = Math.min(b, t1);
    if (hi <= lo || t1 <= t0) continue;
    const v0 = s.values[i] as number;
    const v1 = s.values[i + 1] as number;
    sum += ((v1 >= v0 ? v1 - v0 : v1) * (hi - lo)) / (t1 - t0);
  }
  return sum;
}

/**
 * Energy per token of one host: `gpus` its power series (W), `counters` its output-token
 * counters by model (several per model are added, e.g. two servers).
 */
export function energyPerToken(gpus: readonly TimedValues[], counters: ReadonlyMap<string, readonly TimedValues[]>, o: EnergyOptions): HostEnergy {
  const batchMs = o.batchMs ?? 60_000;
  const gap = o.maxGapMs ?? 5_000;
  const level = o.level ?? 0.95;
  const models = [...counters.keys()].sort();
  const e: number[] = [];
  const n: number[][] = models.map(() => []);
  for (let a = o.from; a + batchMs <= o.to; a += batchMs) {
    const b = a + batchMs;
    if (gpus.length === 0 || !gpus.every((g) => covers(g, a, b, gap))) continue;
    if (!models.every((m) => (counters.get(m) ?? []).every((c) => covers(c, a, b, gap)))) continue;
    e.push(gpus.reduce((s, g) => s + integral(g, a, b), 0) / 1000);
    models.forEach((m, k) => (n[k] as number[]).push((counters.get(m) ?? []).reduce((s, c) => s + increase(c, a, b), 0)));
  }
  const batches = e.length;
  const coveredMs = batches * batchMs;
  const joules = e.reduce((s, x) => s + x, 0);
  const perBatchTokens = e.map((_, i) => n.reduce((s, col) => s + (col[i] as number), 0));
  const out = models.map((model, k): ModelEnergy => {
    const col = n[k] as number[];
    const others = col.some((x, i) => x < (perBatchTokens[i] as number));
    // This model's share of each batch's energy: all of it when it served alone.
    const ek = e.map((x, i) => ((perBatchTokens[i] as number) > 0 ? (x * (col[i] as number)) / (perBatchTokens[i] as number) : 0));
    const tokens = col.reduce((s, x) => s + x, 0);
    const jk = ek.reduce((s, x) => s + x, 0);
    const r = tokens > 0 ? jk / tokens : null;
    let ci: readonly [number, number] | null = null;
    if (r !== null && batches >= 2) {
      let ss = 0;
      for (let i = 0; i < batches; i++) ss += ((ek[i] as number) - r * (col[i] as number)) ** 2;
      const se = Math.sqrt(ss / (batches * (batches - 1))) / (tokens / batches);
      const t = studentTQuantile((1 + level) / 2, batches - 1);
      ci = [r - t * se, r + t * se];
    }
    return { model, tokens, joules: jk, joulesPerToken: r, interval: ci, tokensPerSecond: coveredMs > 0 ? tokens / (coveredMs / 1000) : 0, shared: others };
  });
  return { joules, watts: coveredMs > 0 ? joules / (coveredMs / 1000) : 0, batches, coveredMs, level, models: out };
}
