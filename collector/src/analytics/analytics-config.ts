/**
 * The `analytics:` section of the collector's config file, parsed by collector-config.ts:
 *
 *   analytics:
 *     anomalyScan: true           # the collector's own anomaly watch over every series
 *     maxSeries: 100000           # series it watches at most (about 1.3 kB each)
 *     probeBudgetUsdPerDay: 5     # the capacity row's probe-spend budget (default: none)
 *
 * A bad value throws ConfigError naming it.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { boolValue, intValue, section } from '@sigmascope/protocol/config-fields';

export interface AnalyticsConfig {
  readonly anomalyScan: boolean;
  readonly maxSeries: number;
  readonly probeBudgetUsd: number | null;
}

export const DEFAULT_ANALYTICS: AnalyticsConfig = Object.freeze({ anomalyScan: true, maxSeries: 100_000, probeBudgetUsd: null });

/** Validates the section (`where` prefixes messages); undefined → defaults. */
export function parseAnalyticsConfig(raw: unknown, where: string): AnalyticsConfig {
  const s = section(raw, where, ['anomalyScan', 'maxSeries', 'probeBudgetUsdPerDay']);
  let budget: number | null = null;
  if (s.probeBudgetUsdPerDay !== undefined) {
    const b = s.probeBudgetUsdPerDay;
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0) throw new ConfigError(`${where}.probeBudgetUsdPerDay`, `${JSON.stringify(b)} is not a number of dollars ≥ 0`);
    budget = b;
  }
  return Object.freeze({
    anomalyScan: s.anomalyScan === undefined ? DEFAULT_ANALYTICS.anomalyScan : boolValue(s.anomalyScan, `${where}.anomalyScan`),
    maxSeries: s.maxSeries === undefined ? DEFAULT_ANALYTICS.maxSeries : intValue(s.maxSeries, `${where}.maxSeries`, 1, 10_000_000),
    probeBudgetUsd: budget,
  });
}
