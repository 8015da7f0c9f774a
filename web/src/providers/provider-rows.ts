/**
 * Shapes the provider comparison: each `/api/v1/providers` row with its host name and error
 * rate, sorted by a column. Pure.
 */
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { EnergyRow } from '../analytics/analytics-types.ts';

/** The columns a user can sort by. */
export const SORT_KEYS = ['provider', 'model', 'host', 'probes', 'errorRate', 'ttftP50', 'ttftP95', 'ttftP99', 'durationP50', 'durationP95', 'durationP99', 'tokensPerSecond', 'joulesPerToken', 'costUsd'] as const;
/** One of SORT_KEYS. */
export type SortKey = (typeof SORT_KEYS)[number];

/** A row as the table shows it. */
export interface ProviderLine extends ProviderRow {
  readonly host: string;
  /** errors / probes, null without probes. */
  readonly errorRate: number | null;
  /** Energy per output token of a model this host serves (GET /api/v1/energy), null when not measured. */
  readonly joulesPerToken: number | null;
  readonly energy: EnergyRow | null;
}

/**
 * Adds host names (agent id when unknown), error rates, and energy per token where the host
 * serves the model itself; a served model nobody probes gets a line of its own, its tokens/s
 * then the server's own.
 */
export function providerLines(rows: readonly ProviderRow[], hostNames: ReadonlyMap<string, string>, energy: readonly EnergyRow[] = []): ProviderLine[] {
  const key = (agent: string, provider: string, model: string): string => `${agent}\u0000${provider}\u0000${model}`;
  const byKey = new Map(energy.map((e) => [key(e.agent, e.provider, e.model), e]));
  const lines: ProviderLine[] = rows.map((r) => {
    const e = byKey.get(key(r.agent, r.provider, r.model)) ?? null;
    byKey.delete(key(r.agent, r.provider, r.model));
    return { ...r, host: hostNames.get(r.agent) ?? r.agent, errorRate: r.probes > 0 ? r.errors / r.probes : null, joulesPerToken: e?.joulesPerToken ?? null, energy: e };
  });
  for (const e of byKey.values()) {
    const none = { p50: null, p95: null, p99: null };
    lines.push({ agent: e.agent, provider: e.provider, model: e.model, probes: 0, errors: 0, ttft: none, duration: none, tokensPerSecond: e.tokensPerSecond, costUsd: null, host: hostNames.get(e.agent) ?? e.agent, errorRate: null, joulesPerToken: e.joulesPerToken, energy: e });
  }
  return lines;
}

function value(l: ProviderLine, key: SortKey): string | number | null {
  switch (key) {
    case 'ttftP50': return l.ttft.p50;
    case 'ttftP95': return l.ttft.p95;
    case 'ttftP99': return l.ttft.p99;
    case 'durationP50': return l.duration.p50;
    case 'durationP95': return l.duration.p95;
    case 'durationP99': return l.duration.p99;
    case 'joulesPerToken': return l.joulesPerToken;
    default: return l[key];
  }
}

/** Sorted copy; missing values always last, ties broken by provider, model, host. */
export function sortLines(lines: readonly ProviderLine[], key: SortKey, dir: 'asc' | 'desc'): ProviderLine[] {
  const sign = dir === 'asc' ? 1 : -1;
  const tie = (a: ProviderLine, b: ProviderLine): number => `${a.provider}\u0000${a.model}\u0000${a.host}`.localeCompare(`${b.provider}\u0000${b.model}\u0000${b.host}`);
  return [...lines].sort((a, b) => {
    const x = value(a, key);
    const y = value(b, key);
    if (x === null || y === null) return x === y ? tie(a, b) : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? sign * c : tie(a, b);
  });
}
