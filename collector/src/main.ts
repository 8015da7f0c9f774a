/**
 * The collector, wired by hand in pipeline order: store → ingest (WS /ingest) → live feed →
 * API and dashboard on one port.
 */
import type { Logger } from '@sigmascope/protocol/log';
import { listen } from '@sigmascope/web/server/listen';
import type { Listening } from '@sigmascope/web/server/listen';
import { apiApp } from './api/api-app.ts';
import type { AuditSink } from './audit/audit-entry.ts';
import { MemoryAuditSink } from './audit/audit-entry.ts';
import { startIncidentJob } from './incidents/incident-job.ts';
import type { IncidentSource } from '@sigmascope/protocol/incident';
import { IncidentRows } from './store/rows/incident-rows.ts';
import { AuthFailures } from './auth/auth-failures.ts';
import { TokenStore } from './auth/token-store.ts';
import type { CollectorConfig } from './config/collector-config.ts';
import { IngestServer } from './ingest/ingest-server.ts';
import { emptyIngestStats } from './ingest/ingest-stats.ts';
import { LiveFeed } from './live/live-feed.ts';
import { openDatabase } from './store/schema/sqlite-db.ts';
import { ChunkedStore } from './store/chunked-store.ts';
import { startStoreJobs } from './store/store-jobs.ts';

export interface RunningCollector {
  readonly port: number;
  readonly host: string;
  readonly tokens: TokenStore;
  /** Incidents as they open, change and resolve (the alerting side subscribes). */
  readonly incidents: IncidentSource;
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
  // Until the durable audit log lands, state changes are kept in memory.
  const audit: AuditSink = new MemoryAuditSink();
  const incidentRows = new IncidentRows(opened.db);
  const incidents = startIncidentJob({ store, rows: incidentRows, audit, config: config.incidents, log: log.child({ part: 'incidents' }) });
  const ingest = new IngestServer({ store, tokens, failures, stats, live, futureToleranceMs: config.futureToleranceMs, log: log.child({ part: 'ingest' }) });
  let ready = false;
  const app = apiApp({ store, tokens, failures, stats, live, connectedAgents: () => ingest.connectedAgents(), agentBacklogs: () => ingest.agentBacklogs(), ready: () => ready, webRoot, incidents: { tracker: incidents.tracker, rows: incidentRows } });
  let server: Listening;
  try {
    server = await listen({ fetch: app.fetch, host: config.listen, port: config.port, onUpgrade: (req, socket, head) => ingest.handleUpgrade(req, socket, head) });
  } catch (err) {
    incidents.stop();
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
    incidents: incidents.tracker,
    async stop() {
      ready = false;
      incidents.stop();
      live.stop();
      await ingest.close();
      await server.close();
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
