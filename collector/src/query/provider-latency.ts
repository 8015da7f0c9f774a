/**
 * The providers table (GET /api/v1/providers): per agent × gen_ai.provider.name ×
 * gen_ai.request.model, percentiles of time to first chunk and of operation duration (seconds),
 * the number of probes (duration samples) and of failed ones (samples with an error.type label),
 * and the median output tokens per second and cost of one probe.
 */
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { TimeSeriesReader } from '../store/store.ts';
import { groupedPercentiles } from './percentiles.ts';

const BY = ['agent', 'gen_ai.provider.name', 'gen_ai.request.model'] as const;
const TTFT = 'gen_ai.client.operation.time_to_first_chunk';
const DURATION = 'gen_ai.client.operation.duration';
const TOKENS_PER_SECOND = 'sigmascope.probe.output_tokens_per_second';
const COST = 'sigmascope.probe.cost';

export function providerLatency(reader: TimeSeriesReader, from: number, to: number, maxSeries: number): ProviderRow[] {
  const ok = (s: { labels: Record<string, string> }): boolean => s.labels['error.type'] === undefined;
  const failed = (s: { labels: Record<string, string> }): boolean => s.labels['error.type'] !== undefined;
  const qs = [0.5, 0.95, 0.99];
  const pick = (r: { quantiles: Record<string, number | null> } | undefined) => ({ p50: r?.quantiles.p50 ?? null, p95: r?.quantiles.p95 ?? null, p99: r?.quantiles.p99 ?? null });
  const key = (g: Record<string, string>): string => JSON.stringify(BY.map((k) => g[k] ?? ''));
  const dur = groupedPercentiles(reader, reader.findSeries(DURATION, ok, maxSeries).series, BY, qs, from, to);
  const ttft = new Map(groupedPercentiles(reader, reader.findSeries(TTFT, ok, maxSeries).series, BY, qs, from, to).map((r) => [key(r.group), r]));
  const medianBy = (metric: string): Map<string, number | null> =>
    new Map(groupedPercentiles(reader, reader.findSeries(metric, ok, maxSeries).series, BY, [0.5], from, to).map((r) => [key(r.group), r.quantiles.p50 ?? null]));
  const tokensPerSecond = medianBy(TOKENS_PER_SECOND);
  const cost = medianBy(COST);
  const errs = new Map(groupedPercentiles(reader, reader.findSeries(DURATION, failed, maxSeries).series, BY, [], from, to).map((r) => [key(r.group), r.count]));
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
