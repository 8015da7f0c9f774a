/**
 * The default QueryBackend: the embedded store, through the query functions of this folder
 * (rollup tiers for steps, sketches for percentiles). Answers at once; async only for the port.
 */
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { SeriesQuery, SeriesResult, Store } from '../store/store.ts';
import { seriesMatcher } from './label-match.ts';
import { lastValues } from './last-values.ts';
import { groupedPercentiles } from './percentiles.ts';
import { providerLatency } from './provider-latency.ts';
import type { AgentView, QueryBackend, RangeAnswer, SeriesSelector } from './query-backend.ts';
import { seriesPoints } from './range-query.ts';
import type { BucketAgg } from './series-buckets.ts';
import { topK } from './top-k.ts';
import type { TopRow } from './top-k.ts';
import type { LastValue } from './last-values.ts';
import type { PercentileRow } from './percentiles.ts';

const MAX_PROVIDER_SERIES = 500;

export class LocalBackend implements QueryBackend {
  readonly name = 'local';
  private readonly store: Store;
  private readonly connected: () => ReadonlySet<string>;
  private readonly clock: () => number;

  constructor(store: Store, connected: () => ReadonlySet<string>, clock: () => number = Date.now) {
    this.store = store;
    this.connected = connected;
    this.clock = clock;
  }

  private select(sel: SeriesSelector) {
    return this.store.findSeries(sel.name, seriesMatcher(sel.matchers), sel.limit);
  }

  async metricNames(): Promise<string[]> {
    return this.store.metricNames();
  }

  async agents(): Promise<AgentView[]> {
    const connected = this.connected();
    return this.store.agents().map((a) => ({ ...a, connected: connected.has(a.id) }));
  }

  async series(q: SeriesQuery): Promise<SeriesResult[]> {
    return this.store.series(q);
  }

  async range(sel: SeriesSelector, from: number, to: number, stepMs: number | undefined, agg: BucketAgg, limit: number): Promise<RangeAnswer> {
    const { series, truncated } = this.select(sel);
    const now = this.clock();
    let resolution = 'raw';
    let cut = truncated;
    const out = series.map((s) => {
      const r = seriesPoints(this.store, s.id, from, to, stepMs, agg, limit, now);
      resolution = r.tier;
      cut ||= r.truncated;
      return { agent: s.agent, labels: s.labels, points: r.points };
    });
    return { series: out, resolution, truncated: cut };
  }

  async last(sel: SeriesSelector): Promise<{ rows: LastValue[]; truncated: boolean }> {
    const { series, truncated } = this.select(sel);
    return { rows: lastValues(this.store, series), truncated };
  }

  async percentiles(sel: SeriesSelector, by: readonly string[], qs: readonly number[], from: number, to: number): Promise<{ groups: PercentileRow[]; truncated: boolean }> {
    const { series, truncated } = this.select(sel);
    return { groups: groupedPercentiles(this.store, series, by, qs, from, to), truncated };
  }

  async topK(sel: SeriesSelector, by: readonly string[], agg: BucketAgg, k: number, order: 'desc' | 'asc', from: number, to: number): Promise<{ rows: TopRow[]; truncated: boolean }> {
    const { series, truncated } = this.select(sel);
    return { rows: topK(this.store, series, by, agg, k, order, from, to, this.clock()), truncated };
  }

  async providers(from: number, to: number): Promise<ProviderRow[]> {
    return providerLatency(this.store, from, to, MAX_PROVIDER_SERIES);
  }
}
