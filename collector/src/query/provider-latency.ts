/**
 * The providers table (GET /api/v1/providers): per agent × gen_ai.provider.name ×
 * gen_ai.request.model, percentiles of time to first chunk and of operation duration (seconds),
 * the number of probes (duration samples) and of failed ones (samples with an error.type label),
 * and the median output tokens per second and cost of one probe.
 */
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { TimeSeriesReader } from '../store/store.ts';
import { groupedPercentiles } from './percentiles.ts';
import type { PercentileRow } from './percentiles.ts';

const BY = ['agent', 'gen_ai.provider.name', 'gen_ai.request.model'] as const;
const TTFT = 'gen_ai.client.operation.time_to_first_chunk';
const DURATION = 'gen_ai.client.operation.duration';
const TOKENS_PER_SECOND = 'sigmascope.probe.output_tokens_per_second';
const COST = 'sigmascope.probe.cost';

/** The percentile sets a providers table is built from (each grouped by agent, provider, model). */
export interface ProviderInputs {
  /** Duration p50/p95/p99 of successful probes (its count is the ok probes). */
  readonly duration: readonly PercentileRow[];
  readonly ttft: readonly PercentileRow[];
  /** Medians (p50) of tokens per second and cost. */
  readonly tokensPerSecond: readonly PercentileRow[];
  readonly cost: readonly PercentileRow[];
  /** Duration samples of failed probes (only the count is read). */
  readonly failed: readonly PercentileRow[];
}

/** What each input is: the metric, whether it holds failed probes, the quantiles asked. */
export const PROVIDER_INPUTS: Readonly<Record<keyof ProviderInputs, { readonly metric: string; readonly failed: boolean; readonly qs: readonly number[] }>> = {
  duration: { metric: DURATION, failed: false, qs: [0.5, 0.95, 0.99] },
  ttft: { metric: TTFT, failed: false, qs: [0.5, 0.95, 0.99] },
  tokensPerSecond: { metric: TOKENS_PER_SECOND, failed: false, qs: [0.5] },
  cost: { metric: COST, failed: false, qs: [0.5] },
  failed: { metric: DURATION, failed: true, qs: [] },
};

/** The grouping of every input. */
export const PROVIDER_BY: readonly string[] = BY;

export function providerLatency(reader: TimeSeriesReader, from: number, to: number, maxSeries: number): ProviderRow[] {
  const rows = (k: keyof ProviderInputs): PercentileRow[] => {
    const i = PROVIDER_INPUTS[k];
    const accept = (s: { labels: Record<string, string> }): boolean => (s.labels['error.type'] !== undefined) === i.failed;
    return groupedPercentiles(reader, reader.findSeries(i.metric, accept, maxSeries).series, BY, i.qs, from, to);
  };
  return providerRows({ duration: rows('duration'), ttft: rows('ttft'), tokensPerSecond: rows('tokensPerSecond'), cost: rows('cost'), failed: rows('failed') });
}

/** The table from its inputs, one row per agent × provider × model, sorted. */
export function providerRows(inputs: ProviderInputs): ProviderRow[] {
  const pick = (r: { quantiles: Record<string, number | null> } | undefined) => ({ p50: r?.quantiles.p50 ?? null, p95: r?.quantiles.p95 ?? null, p99: r?.quantiles.p99 ?? null });
  const key = (g: Record<string, string>): string => JSON.stringify(BY.map((k) => g[k] ?? ''));
  const dur = inputs.duration;
  const ttft = new Map(inputs.ttft.map((r) => [key(r.group), r]));
  const medianOf = (rows: readonly PercentileRow[]): Map<string, number | null> => new Map(rows.map((r) => [key(r.group), r.quantiles.p50 ?? null]));
  const tokensPerSecond = medianOf(inputs.tokensPerSecond);
  const cost = medianOf(inputs.cost);
  const errs = new Map(inputs.failed.map((r) => [key(r.group), r.count]));
  const keys = new Set([...dur.map((r) => key(r.group)), ...ttft.keys(), ...errs.keys()]);
  const durBy = new Map(dur.map((r) => [key(r.group), r]));
  return [...keys].sort().map((k) => {
    const [agent, provider, model] = JSON.parse(k) as [string, string, string];
    const d = durBy.get(k);
    const errors = errs.get(k) ?? 0;
    return {
      agent, provider, model, probes: (d?.count ?? 0) + errors, errors, ttft: pick(ttft.get(k)), duration: pick(d),
      tokensPerSecond: tokensPerSecond.get(k) ?? null, costUsd: cost.get(k) ?? null,
    };
  });
}
