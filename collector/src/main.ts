/**
 * The collector, wired by hand in pipeline order: store → ingest (WS /ingest) → live feed →
 * analytics (the anomaly scan) → API and dashboard on one port.
 */
import type { Logger } from '@sigmascope/protocol/log';
import { listen } from '@sigmascope/web/server/listen';
import type { Listening } from '@sigmascope/web/server/listen';
import { apiApp } from './api/api-app.ts';
import { AuthFailures } from './auth/auth-failures.ts';
import { TokenStore } from './auth/token-store.ts';
import type { CollectorConfig } from './config/collector-config.ts';
import { IngestServer } from './ingest/ingest-server.ts';
import { emptyIngestStats } from './ingest/ingest-stats.ts';
import { LiveFeed } from './live/live-feed.ts';
import { openDatabase } from './store/schema/sqlite-db.ts';
import { ChunkedStore } from './store/chunked-store.ts';
import { startStoreJobs } from './store/store-jobs.ts';
import { AnomalyRows } from './store/rows/anomaly-rows.ts';
import { AnomalyScan, DEFAULT_SCAN } from './analytics/anomaly-scan.ts';
import { startAnalyticsJobs } from './analytics/analytics-jobs.ts';

export interface RunningCollector {
  readonly port: number;
  readonly host: string;
  readonly tokens: TokenStore;
  stop(): Promise<void>;
}

/** Starts the collector; resolves once it listens. Rejects when the port or the database cannot be opened. */
export async function runCollector(config: CollectorConfig, log: Logger, webRoot: string | null): Promise<RunningCollector> {
  const opened = openDatabase(config.dataDir, config.maxDatabaseBytes === null ? {} : { maxBytes: config.maxDatabaseBytes });
  const store = new ChunkedStore(opened.db, { retention: config.retention });
  const storeJobs = startStoreJobs(store, log.child({ part: 'store' }));
  const tokens = new TokenStore(opened.db);
  const failures = new AuthFailures(config.authFailureLimit);
  const stats = emptyIngestStats();
  const live = new LiveFeed(config.liveIntervalMs);
  const ingest = new IngestServer({ store, tokens, failures, stats, live, futureToleranceMs: config.futureToleranceMs, log: log.child({ part: 'ingest' }) });
  const anomalies = new AnomalyRows(opened.db);
  const scan = config.analytics.anomalyScan ? startAnalyticsJobs(new AnomalyScan(store, anomalies, { ...DEFAULT_SCAN, maxSeries: config.analytics.maxSeries }), log.child({ part: 'analytics' })) : null;
  let ready = false;
  const app = apiApp({ store, tokens, failures, stats, live, connectedAgents: () => ingest.connectedAgents(), agentBacklogs: () => ingest.agentBacklogs(), ready: () => ready, webRoot, analytics: { anomalies, probeBudgetUsd: config.analytics.probeBudgetUsd } });
  let server: Listening;
  try {
    server = await listen({ fetch: app.fetch, host: config.listen, port: config.port, onUpgrade: (req, socket, head) => ingest.handleUpgrade(req, socket, head) });
  } catch (err) {
    scan?.stop();
    storeJobs.stop();
    store.close();
    throw err;
  }
  live.start();
  ready = true;
  log.info('collector listening', { listen: config.listen, port: server.port, data: opened.path, sqliteVec: opened.vecVersion });
  return {
    port: server.port,
    host: config.listen,
    tokens,
    async stop() {
      ready = false;
      live.stop();
      await ingest.close();
      await server.close();
      scan?.stop();
      storeJobs.stop();
      store.close();
    },
  };
}

/** Opens only the token store of a data dir, for `sigmascope token …` (no server). */
export function openTokenStore(dataDir: string): { tokens: TokenStore; close(): void } {
  const opened = openDatabase(dataDir);
  return { tokens: new TokenStore(opened.db), close: () => opened.db.close() };
}
