/**
 * The collector, wired by hand in pipeline order: store → ingest (WS /ingest) → live feed →
 * exporters (remote-write, OTLP), analytics (the anomaly scan) → API and dashboard on one port.
 */
import { scaledClock } from '@sigmascope/protocol/clock';
import { join } from 'node:path';
import { silentLogger } from '@sigmascope/protocol/log';
import type { Logger } from '@sigmascope/protocol/log';
import { listen } from '@sigmascope/web/server/listen';
import type { Listening } from '@sigmascope/web/server/listen';
import { apiApp } from './api/api-app.ts';
import { startIncidentJob } from './incidents/incident-job.ts';
import type { IncidentSource } from '@sigmascope/protocol/incident';
import { IncidentRows } from './store/rows/incident-rows.ts';
import { AuthFailures } from './auth/auth-failures.ts';
import { TokenStore } from './auth/token-store.ts';
import { SessionStore } from './auth/session-store.ts';
import type { CollectorConfig } from './config/collector-config.ts';
import { ExportStreams, exportEndpoints } from './export/export-streams.ts';
import { IngestServer } from './ingest/ingest-server.ts';
import { emptyIngestStats } from './ingest/ingest-stats.ts';
import { LiveFeed } from './live/live-feed.ts';
import { queryBackend } from './query/query-backends.ts';
import { openDatabase } from './store/schema/sqlite-db.ts';
import { ChunkedStore } from './store/chunked-store.ts';
import { RunRows } from './store/rows/run-rows.ts';
import { ExportCursorRows } from './store/rows/export-cursor-rows.ts';
import { startStoreJobs, storeJobTimes } from './store/store-jobs.ts';
import { SpcBaselineRows } from './store/rows/spc-baseline-rows.ts';
import { clientCertRefusal, loadServerTls, reloadServerTls } from './tls/server-tls.ts';
import { Alerting } from './alerts/alerting.ts';
import { SqliteAuditSink } from './audit/sqlite-audit-sink.ts';
import { AuditRows } from './store/rows/audit-rows.ts';
import { startDailyReportJob } from './slo/daily-report-job.ts';
import { AgentSync } from './sync/agent-sync.ts';
import { AnomalyRows } from './store/rows/anomaly-rows.ts';
import { AnomalyScan, DEFAULT_SCAN } from './analytics/anomaly-scan.ts';
import { startAnalyticsJobs } from './analytics/analytics-jobs.ts';

export interface RunningCollector {
  readonly port: number;
  readonly host: string;
  readonly tokens: TokenStore;
  /** True when the port serves https and wss. */
  readonly tls: boolean;
  /** Reads the TLS files again for new connections (SIGHUP); open ones are untouched. */
  reloadTls(): { ok: true } | { ok: false; error: string };
  /** The durable audit log: whoever changes state records through it. */
  readonly audit: SqliteAuditSink;
  /** Incidents as they open, change and resolve (the alerting side subscribes). */
  readonly incidents: IncidentSource;
  stop(): Promise<void>;
}

/** Starts the collector; resolves once it listens. Rejects when the port or the database cannot be opened. */
export async function runCollector(config: CollectorConfig, log: Logger, webRoot: string | null): Promise<RunningCollector> {
  // A bad certificate or key stops the start before anything is opened.
  const tls = config.tls === null ? undefined : loadServerTls(config.tls);
  const opened = openDatabase(config.dataDir, config.maxDatabaseBytes === null ? {} : { maxBytes: config.maxDatabaseBytes });
  const clock = scaledClock(config.clock);
  // Cursors before the store: its flush keeps the intake records an endpoint has not sent yet.
  const cursors = new ExportCursorRows(opened.db);
  const endpoints = exportEndpoints(config.scaleOut);
  const store = new ChunkedStore(opened.db, { retention: config.retention, clock: clock.now, intakeHold: () => cursors.hold(endpoints) });
  const storeJobs = startStoreJobs(store, log.child({ part: 'store' }), storeJobTimes(config.clock.rate), clock.now);
  const audit = new SqliteAuditSink(new AuditRows(opened.db), log.child({ part: 'audit' }));
  const tokens = new TokenStore(opened.db, audit);
  const failures = new AuthFailures(config.authFailureLimit);
  const stats = emptyIngestStats();
  const live = new LiveFeed(config.liveIntervalMs);
  const baselines = new SpcBaselineRows(opened.db);
  const sync = new AgentSync(store, baselines, clock.now);
  const ingest = new IngestServer({ sync,
    store, tokens, failures, stats, live, clock: clock.now, futureToleranceMs: config.futureToleranceMs, seriesLimits: config.series,
    clientCertRefusal: (req) => clientCertRefusal(config.tls, req), maxConnections: config.maxConnections, log: log.child({ part: 'ingest' }),
  });
  const exports = new ExportStreams({ config: config.scaleOut, store, cursors, connectedAgents: () => ingest.connectedAgents(), retentionMs: config.retention.rawMs, log: log.child({ part: 'export' }) });
  const incidentRows = new IncidentRows(opened.db);
  const incidents = startIncidentJob({ store, rows: incidentRows, audit, config: config.incidents, log: log.child({ part: 'incidents' }) });
  const alerting = new Alerting({ config: config.alerts, db: opened.db, store, connectedAgents: () => ingest.connectedAgents(), incidents: incidents.tracker, audit, log: log.child({ part: 'alerts' }) });
  const query = queryBackend(config.scaleOut.query, { store, connectedAgents: () => ingest.connectedAgents() });
  const anomalies = new AnomalyRows(opened.db);
  const scan = config.analytics.anomalyScan ? startAnalyticsJobs(new AnomalyScan(store, anomalies, { ...DEFAULT_SCAN, maxSeries: config.analytics.maxSeries }), log.child({ part: 'analytics' })) : null;
  let ready = false;
  const app = apiApp({ query, exports: () => exports.states(), store, tokens, sessions: new SessionStore(opened.db, tokens), failures, stats, live, connectedAgents: () => ingest.connectedAgents(), agentBacklogs: () => ingest.agentBacklogs(), ready: () => ready, webRoot, baselines, sync, audit, auditLog: audit, runs: new RunRows(opened.db), alerting, slos: config.slos, incidents: { tracker: incidents.tracker, rows: incidentRows }, analytics: { anomalies, probeBudgetUsd: config.analytics.probeBudgetUsd } });
  let server: Listening;
  try {
    server = await listen({ fetch: app.fetch, host: config.listen, port: config.port, onUpgrade: (req, socket, head) => ingest.handleUpgrade(req, socket, head), ...(tls ? { tls } : {}) });
  } catch (err) {
    incidents.stop();
    scan?.stop();
    storeJobs.stop();
    store.close();
    throw err;
  }
  live.start();
  alerting.start();
  const stopReports = startDailyReportJob(join(config.dataDir, 'reports'), store, (id) => store.agents().find((a) => a.id === id)?.hostname || id, config.slos, log.child({ part: 'slo' }));
  exports.start();
  ready = true;
  log.info('collector listening', { listen: config.listen, port: server.port, tls: tls !== undefined, data: opened.path, sqliteVec: opened.vecVersion, queryBackend: query.name, exportEndpoints: endpoints });
  const listening = server;
  return {
    port: server.port,
    host: config.listen,
    tokens,
    tls: tls !== undefined,
    reloadTls: () => (config.tls === null || listening.reloadTls === undefined ? { ok: false, error: 'the collector does not serve TLS' } : reloadServerTls(config.tls, listening.reloadTls, audit, log)),
    audit,
    incidents: incidents.tracker,
    async stop() {
      ready = false;
      incidents.stop();
      stopReports();
      await alerting.stop();
      live.stop();
      await ingest.close();
      await server.close();
      await exports.stop();
      scan?.stop();
      storeJobs.stop();
      store.close();
    },
  };
}

/** Opens only the token store of a data dir, for `sigmascope token …` (no server); its changes go to the audit log. */
export function openTokenStore(dataDir: string, log: Logger = silentLogger): { tokens: TokenStore; close(): void } {
  const opened = openDatabase(dataDir);
  return { tokens: new TokenStore(opened.db, new SqliteAuditSink(new AuditRows(opened.db), log)), close: () => opened.db.close() };
}

/** Opens only the audit log of a data dir, for `sigmascope audit` on the collector host (no server). */
export function openAuditLog(dataDir: string): { list: AuditRows['list']; close(): void } {
  const opened = openDatabase(dataDir);
  const rows = new AuditRows(opened.db);
  return { list: (filter) => rows.list(filter), close: () => opened.db.close() };
}
