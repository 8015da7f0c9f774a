/** The query backends by name (`query.backend`), each made from the collector's parts and its config. */
import { Label } from '@sigmascope/protocol/metrics';
import type { QueryConfig } from '../config/export-config.ts';
import type { Store } from '../store/store.ts';
import { LocalBackend } from './local-backend.ts';
import { PromApi } from './prometheus/prom-api.ts';
import { PrometheusBackend } from './prometheus/prometheus-backend.ts';
import type { QueryBackend } from './query-backend.ts';

export interface BackendParts {
  readonly store: Store;
  readonly connectedAgents: () => ReadonlySet<string>;
}

const FACTORIES: Readonly<Record<QueryConfig['backend'], (config: QueryConfig, parts: BackendParts) => QueryBackend>> = {
  local: (_config, parts) => new LocalBackend(parts.store, parts.connectedAgents),
  prometheus: (config, parts) => {
    if (config.url === null) throw new Error('query.backend prometheus needs query.url (the config check requires it)');
    // Label names the store knows are read back from the engine by their OpenTelemetry names.
    const known = new Set<string>(Object.values(Label));
    for (const name of parts.store.metricNames()) for (const s of parts.store.findSeries(name, () => true, 10_000).series) for (const k of Object.keys(s.labels)) known.add(k);
    return new PrometheusBackend(new PromApi({ url: config.url, headers: config.headers, timeoutMs: config.timeoutMs }), known);
  },
};

/** The backend `config.backend` names. */
export function queryBackend(config: QueryConfig, parts: BackendParts): QueryBackend {
  return FACTORIES[config.backend](config, parts);
}
