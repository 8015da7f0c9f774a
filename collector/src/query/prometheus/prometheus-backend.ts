/**
 * The `prometheus` QueryBackend: the collector's queries as PromQL against an engine's
 * Prometheus HTTP API, so a collector shows every agent that any collector remote-writes there.
 *
 *   raw points       sel[Δms] at `to`                  → the engine's raw samples in [from, to]
 *   step buckets     query_range of <agg>_over_time(sel[step]) evaluated at b + step − 1
 *                    → bucket [b, b + step) for each b = k · step, as the local tiers cut them
 *   last             sel and timestamp(sel) at now      → the newest sample in the engine's lookback (5 min)
 *   percentiles      the raw samples of the window merged into the same quantile sketch as the
 *                    local store's (so within its 1 % rank error), refused past MAX_RAW_SAMPLES
 *   top-k            sum/count/min/max by (group) of <agg>_over_time(sel[Δ]) → ranked here
 *
 * Names go through the OpenTelemetry → Prometheus translation one way and the NameBook the
 * other, so answers carry the names agents sent. Engine errors become QueryBackendError.
 */
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { Labels } from '@sigmascope/protocol/series';
import { NameBook } from '../../export/prometheus-names.ts';
import { QuantileSketch } from '../../store/rollups/quantile-sketch.ts';
import type { SeriesQuery, SeriesResult } from '../../store/store.ts';
import type { LabelMatcher } from '../label-match.ts';
import type { LastValue } from '../last-values.ts';
import { percentileRows } from '../percentiles.ts';
import type { PercentileRow } from '../percentiles.ts';
import { PROVIDER_BY, PROVIDER_INPUTS, providerRows } from '../provider-latency.ts';
import type { ProviderInputs } from '../provider-latency.ts';
import { QueryBackendError } from '../query-backend.ts';
import type { AgentView, QueryBackend, RangeAnswer, RangeSeries, SeriesSelector } from '../query-backend.ts';
import type { BucketAgg } from '../series-buckets.ts';
import type { TopRow } from '../top-k.ts';
import { promAgents } from './prom-agents.ts';
import type { PromApi, PromSeries } from './prom-api.ts';
import { byClause, fromPromLabels, msRange, promLabel, selector } from './promql.ts';

/** Raw samples one percentile query may pull from the engine. */
export const MAX_RAW_SAMPLES = 2_000_000;
const OVER_TIME: Readonly<Record<BucketAgg, string>> = { avg: 'avg_over_time', min: 'min_over_time', max: 'max_over_time', sum: 'sum_over_time', count: 'count_over_time' };
const MAX_PROVIDER_SERIES = 500;
const INFO_NAMES = /^sigmascope_agent_(info|connected|samples_total|last_seq|clock_skew_seconds|first_seen_seconds|last_seen_seconds|quarantined_samples_total)$/;

interface Found {
  readonly agent: string;
  readonly labels: Labels;
  readonly ts: number[];
  readonly values: number[];
}

export class PrometheusBackend implements QueryBackend {
  readonly name = 'prometheus';
  private readonly api: PromApi;
  private readonly names: NameBook;
  private readonly clock: () => number;

  constructor(api: PromApi, labelNames: Iterable<string>, clock: () => number = Date.now) {
    this.api = api;
    this.names = new NameBook(labelNames);
    this.clock = clock;
  }

  async metricNames(): Promise<string[]> {
    const all = await this.api.labelValues('__name__');
    return [...new Set(all.filter((n) => !INFO_NAMES.test(n)).map((n) => this.names.metricOf(n)))].sort();
  }

  agents(): Promise<AgentView[]> {
    return promAgents(this.api, this.clock());
  }

  async series(q: SeriesQuery): Promise<SeriesResult[]> {
    const matchers: LabelMatcher[] = Object.entries(q.labels).map(([label, value]) => ({ label, pattern: false, value }));
    if (q.agent !== undefined) matchers.push({ label: 'agent', pattern: false, value: q.agent });
    const r = await this.range({ name: q.name, matchers, limit: q.maxSeries }, q.from, q.to, q.stepMs, 'avg', q.maxPoints);
    return r.series.map((s) => ({ agent: s.agent, name: q.name, labels: s.labels, points: s.points }));
  }

  async range(sel: SeriesSelector, from: number, to: number, stepMs: number | undefined, agg: BucketAgg, limit: number): Promise<RangeAnswer> {
    this.learn(sel);
    if (stepMs === undefined) {
      const { found, truncated } = await this.raw(sel, from, to);
      let cut = truncated;
      const series = found.map((s): RangeSeries => {
        const start = Math.max(0, s.ts.length - limit);
        cut ||= start > 0;
        return { agent: s.agent, labels: s.labels, points: s.ts.slice(start).map((t, i) => [t, s.values[start + i] as number]) };
      });
      return { series, resolution: 'raw', truncated: cut };
    }
    const first = Math.floor(from / stepMs) * stepMs;
    const last = Math.floor(to / stepMs) * stepMs;
    const rows = await this.api.range(`${OVER_TIME[agg]}(${selector(sel.name, sel.matchers)}[${msRange(stepMs)}])`, first + stepMs - 1, last + stepMs - 1, stepMs);
    const { kept, truncated } = this.keep(rows, sel.limit);
    let cut = truncated;
    const series = kept.map((r): RangeSeries => {
      const points = r.values.map(([t, v]) => [Math.round(t * 1000) - stepMs + 1, Number(v)] as [number, number]);
      const start = Math.max(0, points.length - limit);
      cut ||= start > 0;
      return { ...fromPromLabels(r.metric, this.names), points: points.slice(start) };
    });
    return { series, resolution: 'promql', truncated: cut };
  }

  async last(sel: SeriesSelector): Promise<{ rows: LastValue[]; truncated: boolean }> {
    this.learn(sel);
    const now = this.clock();
    const s = selector(sel.name, sel.matchers);
    const [values, stamps] = await Promise.all([this.api.instant(s, now), this.api.instant(`timestamp(${s})`, now)]);
    const at = new Map(stamps.map((r) => [JSON.stringify(sortedLabels({ ...r.metric, __name__: '' })), Number(r.values[0]?.[1])]));
    const { kept, truncated } = this.keep(values, sel.limit);
    const rows = kept.map((r): LastValue => {
      const { agent, labels } = fromPromLabels(r.metric, this.names);
      const ts = at.get(JSON.stringify(sortedLabels({ ...r.metric, __name__: '' }))) ?? (r.values[0]?.[0] ?? 0);
      return { agent, name: sel.name, labels, ts: Math.round(ts * 1000), value: Number(r.values[0]?.[1]) };
    });
    return { rows, truncated };
  }

  percentiles(sel: SeriesSelector, by: readonly string[], qs: readonly number[], from: number, to: number): Promise<{ groups: PercentileRow[]; truncated: boolean }> {
    return this.percentilesOf(sel, [], by, qs, from, to);
  }

  /** Percentiles with `extra` raw PromQL matchers beside the selector's (the providers' error.type absent or present). */
  private async percentilesOf(sel: SeriesSelector, extra: readonly string[], by: readonly string[], qs: readonly number[], from: number, to: number): Promise<{ groups: PercentileRow[]; truncated: boolean }> {
    this.learn(sel, by);
    const count = await this.api.instant(`sum(count_over_time(${selector(sel.name, sel.matchers, extra)}[${msRange(to - from)}]))`, to - 1);
    const total = Number(count[0]?.values[0]?.[1] ?? 0);
    if (total > MAX_RAW_SAMPLES) throw new QueryBackendError(`percentiles of ${sel.name} would read ${total} samples from the engine (at most ${MAX_RAW_SAMPLES}): narrow the window or the labels`);
    const { found, truncated } = await this.raw(sel, from, to - 1, extra);
    const groups = new Map<string, { group: Record<string, string>; sketch: QuantileSketch; series: number }>();
    for (const s of found) {
      const group: Record<string, string> = {};
      for (const k of by) group[k] = k === 'agent' ? s.agent : (s.labels[k] ?? '');
      const key = JSON.stringify(by.map((k) => group[k]));
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { group, sketch: new QuantileSketch(), series: 0 }));
      g.sketch.addAll(Float64Array.from(s.values), 0, s.values.length);
      g.series++;
    }
    return { groups: percentileRows(groups, qs), truncated };
  }

  async topK(sel: SeriesSelector, by: readonly string[], agg: BucketAgg, k: number, order: 'desc' | 'asc', from: number, to: number): Promise<{ rows: TopRow[]; truncated: boolean }> {
    this.learn(sel, by);
    const s = `${selector(sel.name, sel.matchers)}[${msRange(to - from + 1)}]`;
    const g = byClause(by);
    const expr = agg === 'avg' ? `sum ${g} (sum_over_time(${s})) / sum ${g} (count_over_time(${s}))` : agg === 'count' ? `sum ${g} (count_over_time(${s}))` : `${agg} ${g} (${OVER_TIME[agg]}(${s}))`;
    const [values, counts] = await Promise.all([this.api.instant(expr, to), this.api.instant(`count ${g} (count_over_time(${s}))`, to)]);
    const keyOf = (m: Record<string, string>): string => JSON.stringify(by.map((b) => m[promLabel(b)] ?? ''));
    const seriesIn = new Map(counts.map((r) => [keyOf(r.metric), Number(r.values[0]?.[1] ?? 0)]));
    const rows = values
      .map((r) => ({ group: Object.fromEntries(by.map((b) => [b, r.metric[promLabel(b)] ?? ''])), value: Number(r.values[0]?.[1]), series: seriesIn.get(keyOf(r.metric)) ?? 0 }))
      .filter((r) => Number.isFinite(r.value));
    rows.sort((a, b) => (order === 'desc' ? b.value - a.value : a.value - b.value));
    return { rows: rows.slice(0, k).map((r, i) => ({ rank: i + 1, ...r })), truncated: false };
  }

  async providers(from: number, to: number): Promise<ProviderRow[]> {
    const inputs = {} as Record<keyof ProviderInputs, PercentileRow[]>;
    await Promise.all(
      (Object.keys(PROVIDER_INPUTS) as (keyof ProviderInputs)[]).map(async (key) => {
        const i = PROVIDER_INPUTS[key];
        const sel: SeriesSelector = { name: i.metric, matchers: [], limit: MAX_PROVIDER_SERIES };
        inputs[key] = (await this.percentilesOf(sel, [i.failed ? 'error_type!=""' : 'error_type=""'], PROVIDER_BY, i.qs, from, to)).groups;
      }),
    );
    return providerRows(inputs);
  }

  /** Raw samples of the selected series in [from, to], sorted by agent then labels, at most `limit` series. */
  private async raw(sel: SeriesSelector, from: number, to: number, extra: readonly string[] = []): Promise<{ found: Found[]; truncated: boolean }> {
    const rows = await this.api.instant(`${selector(sel.name, sel.matchers, extra)}[${msRange(to - from + 1)}]`, to);
    const { kept, truncated } = this.keep(rows, sel.limit);
    return {
      found: kept.map((r) => ({ ...fromPromLabels(r.metric, this.names), ts: r.values.map(([t]) => Math.round(t * 1000)), values: r.values.map(([, v]) => Number(v)) })),
      truncated,
    };
  }

  /** The series in the collector's order (agent, then labels), at most `limit`. */
  private keep(rows: PromSeries[], limit: number): { kept: PromSeries[]; truncated: boolean } {
    const keyed = rows.map((r) => {
      const { agent, labels } = fromPromLabels(r.metric, this.names);
      return { r, key: `${agent}\u0000${JSON.stringify(sortedLabels(labels))}` };
    });
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { kept: keyed.slice(0, limit).map((k) => k.r), truncated: keyed.length > limit };
  }

  /** Labels a query names are known by their OpenTelemetry names from then on. */
  private learn(sel: SeriesSelector, by: readonly string[] = []): void {
    this.names.learnMetric(sel.name);
    for (const m of sel.matchers) if (m.label !== 'agent') this.names.learnLabel(m.label);
    for (const b of by) if (b !== 'agent') this.names.learnLabel(b);
  }
}

function sortedLabels(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
