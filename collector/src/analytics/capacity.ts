/**
 * The capacity row of a host: when will we run out? Per GPU, memory in use against its limit;
 * per served model, the inference server's KV cache against full; the probes' spend today
 * against a budget by midnight (UTC); per provider and model, where TTFT is heading. Each from a
 * forecast of the stored series (protocol/src/forecast) with its interval: "full in 3 h (2–5 h)".
 * Pure over the store's read port. The row's shape: protocol/src/capacity-row.ts.
 */
import { stepsToLimit } from '@sigmascope/protocol/forecast/forecast';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { CapacityRow, Reach } from '@sigmascope/protocol/capacity-row';
import type { SeriesResult, Store } from '../store/store.ts';
import { forecastFor, regularGrid } from './forecast-route.ts';
import { normalQuantile } from '@sigmascope/protocol/normal-quantile';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface CapacityOptions {
  readonly now: number;
  /** History the forecasts are fitted to (ms). */
  readonly lookbackMs: number;
  /** How far ahead a limit is looked for (ms). */
  readonly horizonMs: number;
  readonly level: number;
  /** Probe spend budget per UTC day in US dollars, or null. */
  readonly probeBudgetUsd: number | null;
}

export const DEFAULT_CAPACITY: Omit<CapacityOptions, 'now'> = { lookbackMs: 6 * HOUR, horizonMs: DAY, level: 0.8, probeBudgetUsd: null };

function seriesOf(store: Store, name: string, agent: string, from: number, to: number, stepMs: number): SeriesResult[] {
  return store.series({ name, labels: {}, agent, from, to, maxPoints: 100_000, maxSeries: 64, stepMs });
}

/** A series' forecast toward `limit`, as a row. */
function towardLimit(s: SeriesResult, limit: number, o: CapacityOptions, stepMs: number): { current: number; reach: Reach; model: string | null } | null {
  const grid = regularGrid(s.points, o.now - o.lookbackMs, o.now, stepMs);
  if (grid.values.length === 0) return null;
  const current = grid.values[grid.values.length - 1] as number;
  const r = forecastFor(s.name, grid.values, stepMs, Math.ceil(o.horizonMs / stepMs), o.level);
  if (!r.ok) return { current, reach: { expected: null, earliest: null, latest: null }, model: null };
  const steps = stepsToLimit(r.forecast, limit);
  const end = grid.start + grid.values.length * stepMs;
  const ms = (k: number | null): number | null => (k === null ? null : Math.max(0, end + (k - 1) * stepMs - o.now));
  return { current, reach: { expected: ms(steps.expected), earliest: ms(steps.earliest), latest: ms(steps.latest) }, model: r.forecast.kind };
}

/** The host's capacity rows. */
export function capacityRows(store: Store, agent: string, o: CapacityOptions): CapacityRow[] {
  const rows: CapacityRow[] = [];
  const from = o.now - o.lookbackMs;
  const step = 60_000;
  const limits = new Map(seriesOf(store, Metric.gpuMemoryLimit, agent, from, o.now, step).map((s) => [s.labels[Label.hwId] ?? '', s.points[s.points.length - 1]?.[1] ?? null]));
  for (const s of seriesOf(store, Metric.gpuMemoryUsage, agent, from, o.now, step)) {
    const id = s.labels[Label.hwId] ?? '';
    const limit = limits.get(id) ?? null;
    if (limit === null || !(limit > 0)) continue;
    const f = towardLimit(s, limit, o, step);
    if (f !== null) rows.push({ kind: 'gpu_memory', label: `GPU ${id}`, labels: s.labels, unit: 'bytes', current: f.current, limit, reach: f.reach, ahead: null, model: f.model });
  }
  for (const s of seriesOf(store, Metric.inferenceKvCacheUtilization, agent, from, o.now, step)) {
    const f = towardLimit(s, 1, o, step);
    if (f !== null) rows.push({ kind: 'kv_cache', label: s.labels[Label.genAiModel] ?? s.labels[Label.serverAddress] ?? 'KV cache', labels: s.labels, unit: 'ratio', current: f.current, limit: 1, reach: f.reach, ahead: null, model: f.model });
  }
  const spend = probeSpend(store, agent, o);
  if (spend !== null) rows.push(spend);
  rows.push(...latencyTrends(store, agent, o));
  return rows;
}

/**
 * Spend today and by midnight (UTC): the rest of the day at the mean rate of the last 24 h's
 * 10-minute buckets, its interval from their spread (independent buckets: σ·√k for k buckets).
 */
function probeSpend(store: Store, agent: string, o: CapacityOptions): CapacityRow | null {
  const bucket = 600_000;
  const dayStart = Math.floor(o.now / DAY) * DAY;
  const all = store.series({ name: Metric.probeCost, labels: {}, agent, from: o.now - DAY, to: o.now, maxPoints: 100_000, maxSeries: 256 });
  if (all.length === 0) return null;
  const sums = new Map<number, number>();
  let today = 0;
  for (const s of all) {
    if (s.labels[Label.errorType] !== undefined) continue;
    for (const [t, v] of s.points) {
      const b = Math.floor(t / bucket) * bucket;
      sums.set(b, (sums.get(b) ?? 0) + v);
      if (t >= dayStart) today += v;
    }
  }
  const first = Math.min(...all.map((s) => s.points[0]?.[0] ?? Infinity));
  const buckets: number[] = [];
  for (let b = Math.floor(Math.max(first, o.now - DAY) / bucket) * bucket; b + bucket <= o.now; b += bucket) buckets.push(sums.get(b) ?? 0);
  const left = Math.max(0, (dayStart + DAY - o.now) / bucket);
  const mean = buckets.length > 0 ? buckets.reduce((a, b) => a + b, 0) / buckets.length : 0;
  const sd = buckets.length > 1 ? Math.sqrt(buckets.reduce((a, b) => a + (b - mean) ** 2, 0) / (buckets.length - 1)) : 0;
  const z = normalQuantile((1 + o.level) / 2);
  const expected = today + left * mean;
  const spread = z * sd * Math.sqrt(left);
  const budget = o.probeBudgetUsd;
  let reach: Reach | null = null;
  if (budget !== null) {
    const when = (rate: number): number | null => (today >= budget ? 0 : rate > 0 && today + (rate * left) >= budget ? ((budget - today) / rate) * bucket : null);
    reach = { expected: when(mean), earliest: when(mean + z * sd), latest: when(Math.max(0, mean - z * sd)) };
  }
  return { kind: 'probe_spend', label: 'probes', labels: {}, unit: 'usd', current: today, limit: budget, reach, ahead: { at: dayStart + DAY, value: expected, lower: Math.max(today, expected - spread), upper: expected + spread }, model: null };
}

/** Per provider × model probed by the agent: TTFT in an hour and its trend, from 10-minute means. */
function latencyTrends(store: Store, agent: string, o: CapacityOptions): CapacityRow[] {
  const step = 600_000;
  const out: CapacityRow[] = [];
  for (const s of seriesOf(store, Metric.genAiTimeToFirstChunk, agent, o.now - o.lookbackMs, o.now, step)) {
    if (s.labels[Label.errorType] !== undefined) continue;
    const grid = regularGrid(s.points, o.now - o.lookbackMs, o.now, step);
    if (grid.values.length < 6) continue;
    const r = forecastFor(s.name, grid.values, step, 6, o.level);
    if (!r.ok) continue;
    const f = r.forecast;
    const last = f.mean.length - 1;
    const trend = f.transform === 'log' ? Math.exp(f.model.trend * 6) - 1 : f.model.trend * 6 / Math.max(1e-12, grid.values[grid.values.length - 1] as number);
    out.push({
      kind: 'latency', label: `${s.labels[Label.genAiProvider] ?? '?'} ${s.labels[Label.genAiModel] ?? ''}`.trim(), labels: s.labels, unit: 'seconds',
      current: grid.values[grid.values.length - 1] as number, limit: null, reach: null, model: f.kind, trendPerHour: trend,
      ahead: { at: grid.start + (grid.values.length + last) * step, value: f.mean[last] as number, lower: f.lower[last] as number, upper: f.upper[last] as number },
    });
  }
  return out;
}
