/**
 * The collector's HTTP surface: health, metrics, the JSON API under /api/v1 (viewer/admin tokens),
 * the live feed and the dashboard bundle. Handlers validate every parameter (400 naming it) and
 * bound every answer; errors become JSON in one onError.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { HttpBindings } from '@hono/node-server';
import { METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { serveAsset } from '@sigmascope/web/server/static-assets';
import type { AuthFailures } from '../auth/auth-failures.ts';
import type { ExportStreamState } from '../export/export-stream.ts';
import { LocalBackend } from '../query/local-backend.ts';
import { QueryBackendError } from '../query/query-backend.ts';
import type { QueryBackend } from '../query/query-backend.ts';
import type { TokenStore } from '../auth/token-store.ts';
import type { IngestStats } from '../ingest/ingest-stats.ts';
import type { AgentBacklog } from '../ingest/ingest-server.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import type { Store } from '../store/store.ts';
import { caller, callerName, requireRole } from './api-auth.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { registerLiveRoute } from './live-route.ts';
import { apiError, badParam } from './api-error.ts';
import { exactLabels, intParam, timeWindow } from './params.ts';
import { collectorMetricsText } from './collector-metrics.ts';
import { exportMetricsText, exportStats } from './export-metrics.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { isRunUpload, registerRunRoutes } from './run-routes.ts';
import type { RunRows } from '../store/rows/run-rows.ts';
import { registerSpcRoute } from './spc-route.ts';
import { registerLoginRoutes } from './login-routes.ts';
import type { AuditSink } from '../audit/audit-entry.ts';
import type { SpcBaselineRows } from '../store/rows/spc-baseline-rows.ts';
import type { Alerting } from '../alerts/alerting.ts';
import { registerAlertRoutes } from './alert-routes.ts';
import { registerAuditRoute } from './audit-route.ts';
import type { AuditLog } from './audit-route.ts';
import { registerCapabilityRoute } from './capability-route.ts';
import type { SloConfig } from '../slo/slo-config.ts';
import { registerIncidentRoutes } from './incident-routes.ts';
import type { IncidentRoutesDeps } from './incident-routes.ts';
import type { AgentSync } from '../sync/agent-sync.ts';
import { registerAnalyticsRoutes } from '../analytics/analytics-routes.ts';
import type { AnalyticsDeps } from '../analytics/analytics-routes.ts';

export interface ApiDeps {
  readonly store: Store;
  readonly tokens: TokenStore;
  /** Browser sessions behind the cookie /login sets. */
  readonly sessions: SessionStore;
  readonly failures: AuthFailures;
  readonly stats: IngestStats;
  readonly live: LiveFeed;
  readonly connectedAgents: () => ReadonlySet<string>;
  readonly agentBacklogs: () => ReadonlyMap<string, AgentBacklog>;
  readonly ready: () => boolean;
  readonly webRoot: string | null;
  /** Re-baselines of SPC charts (POST /api/v1/spc/baselines). */
  readonly baselines: SpcBaselineRows;
  /** Where state changes made through the API are recorded. */
  readonly audit: AuditSink;
  /** The durable audit log behind GET /api/v1/audit (admin); the route exists only when given. */
  readonly auditLog?: AuditLog;
  /** Alerts and silences (api/alert-routes.ts); their routes exist only when given. */
  readonly alerting?: Alerting;
  /** Spec limits for the capability report (GET /api/v1/slo/report). */
  readonly slos?: readonly SloConfig[];
  /** Uploaded benchmark runs; without it the /api/v1/runs routes are absent. */
  readonly runs?: RunRows;
  /** The remote-write and OTLP streams' states (none when no endpoint is configured). */
  readonly exports?: () => ExportStreamState[];
  /** Where series, range, last, percentile, top-k, provider and agent queries read (default: the local store). */
  readonly query?: QueryBackend;
  /** The incidents routes; absent in tests of other routes. */
  readonly incidents?: IncidentRoutesDeps;
  /** Tells connected agents of violation states and re-baselines (sync frames); none: agents learn nothing. */
  readonly sync?: AgentSync;
  /** Anomalies, forecasts, capacity, energy per token: registered when given. */
  readonly analytics?: AnalyticsDeps;
}

const RESERVED = new Set(['name', 'from', 'to', 'agent', 'step', 'limit', 'state', 'kind']);
const MAX_POINTS = 20_000;
const MAX_RAW_POINTS = 10_000;
const MAX_SERIES = 500;
const MAX_BODY = 64 * 1024;

export function apiApp(d: ApiDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const address = (c: Context): string => (c.env as HttpBindings | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
  const viewer = requireRole(d.tokens, d.sessions, d.failures, ['viewer', 'admin'], address);
  const admin = requireRole(d.tokens, d.sessions, d.failures, ['admin'], address);

  const query = d.query ?? new LocalBackend(d.store, d.connectedAgents);
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    if (err instanceof QueryBackendError) return c.json({ error: { code: 'backend_unavailable', message: err.message } }, 502);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  // Not ready while the store refuses writes (a full disk): agents keep their data until it takes it again.
  app.get('/readyz', (c) => (!d.ready() ? c.json({ ready: false }, 503) : d.stats.storeRefusing !== null ? c.json({ ready: false, reason: `the store refuses writes: ${d.stats.storeRefusing}` }, 503) : c.json({ ready: true })));
  const exports = d.exports ?? ((): ExportStreamState[] => []);
  app.get('/metrics', (c) => c.text(collectorMetricsText(d.stats, d.connectedAgents().size, d.live.hub.size, d.store.seriesCount()) + exportMetricsText(exports()), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));

  registerLoginRoutes(app, d.tokens, d.sessions, d.failures, address, d.audit);

  app.use('/api/v1/*', viewer);
  app.post('/api/v1/*', admin);
  // After the token (nothing is read for a stranger), before any handler. What a refused upload
  // still sends is drained for at most 500 ms (the node adapter), so the client reads the 413.
  const generalLimit = bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: { code: 'too_large', message: `bodies are limited to ${MAX_BODY} bytes` } }, 413) });
  // A run upload has its own, larger limit (run-routes.ts).
  app.use('*', (c, next) => (d.runs !== undefined && isRunUpload(c) ? next() : generalLimit(c, next)));

  // Who the caller is, so a page can offer only what the role allows (viewers cannot acknowledge).
  app.get('/api/v1/session', (c) => {
    const identity = caller(c)?.identity;
    return c.json({ name: identity?.name ?? null, role: identity?.role ?? null });
  });

  app.get('/api/v1/agents', async (c) => {
    const backlogs = d.agentBacklogs();
    return c.json({
      agents: (await query.agents()).map((a) => {
        const b = backlogs.get(a.id);
        return { ...a, buffer: b === undefined ? null : { frames: b.frames, bytes: b.bytes, droppedSamples: b.droppedSamples, reportedAt: b.at } };
      }),
    });
  });

  app.get('/api/v1/series', async (c) => {
    const q = c.req.query();
    const name = q.name;
    if (name === undefined || !METRIC_NAME_PATTERN.test(name)) throw badParam('name', name, 'a metric name such as system.cpu.utilization');
    const { from, to } = timeWindow(q, 3_600_000);
    const limit = q.limit === undefined ? MAX_POINTS : intParam(q.limit, 'limit', 1, MAX_POINTS);
    const labels = exactLabels(q, RESERVED);
    // Raw points while the range holds few enough at 2 Hz; otherwise averages over a step, and the answer says which.
    let stepMs = q.step === undefined ? undefined : intParam(q.step, 'step', 1, 366 * 86_400_000);
    if (stepMs === undefined && (to - from) / 500 > MAX_RAW_POINTS) stepMs = Math.ceil((to - from) / MAX_RAW_POINTS / 1000) * 1000;
    const series = await query.series({ name, labels, ...(q.agent !== undefined ? { agent: q.agent } : {}), from, to, maxPoints: limit, maxSeries: MAX_SERIES, ...(stepMs !== undefined ? { stepMs } : {}) });
    return c.json(stepMs === undefined ? { resolution: 'raw', from, to, series } : { resolution: 'step', stepMs, aggregation: 'avg', from, to, series });
  });

  app.get('/api/v1/stats', (c) => {
    const s = d.stats;
    return c.json({
      samples: { stored: d.store.sampleCount(), storedSinceStart: s.samplesStored, duplicatesSuppressed: s.samplesDuplicate, quarantinedSinceStart: s.samplesQuarantined, refusedSinceStart: s.samplesRefused },
      series: { stored: d.store.seriesCount(), maxPerAgent: s.seriesMaxPerAgent, maxTotal: s.seriesMaxTotal, refusedSinceStart: s.seriesRefused },
      frames: { stored: s.framesStored, duplicates: s.framesDuplicate, rejected: s.framesRejected, commits: s.commits, commitFailures: s.commitFailures },
      store: { writable: s.storeRefusing === null, refusing: s.storeRefusing },
      auth: { refused: s.authRefused },
      connections: { open: s.connectionsOpen, total: s.connectionsTotal, revoked: s.connectionsRevoked, agentsConnected: d.connectedAgents().size },
      live: { pages: d.live.hub.size, framesPublished: d.live.hub.published },
      export: exportStats(exports()),
    });
  });

  app.get('/api/v1/violations', (c) => {
    const q = c.req.query();
    const { from, to } = timeWindow(q, 24 * 3_600_000);
    const rows = d.store.events({ from, to, kind: 'spc', limit: 1_000, ...(q.agent !== undefined ? { agent: q.agent } : {}) });
    const filtered = q.state === undefined ? rows : rows.filter((r) => r.state === q.state);
    return c.json({ violations: filtered.map((r) => ({ id: r.id, agent: r.agent, state: r.state, ...r.event })) });
  });

  // Everything the agents reported beside samples: probe failures (with the HTTP status), lifecycle
  // (boots, sources coming and going, buffer drops) and SPC violations, newest first.
  app.get('/api/v1/events', (c) => {
    const q = c.req.query();
    const { from, to } = timeWindow(q, 24 * 3_600_000);
    const kind = q.kind;
    if (kind !== undefined && kind !== 'probe' && kind !== 'lifecycle' && kind !== 'spc') throw badParam('kind', kind, 'one of probe, lifecycle, spc');
    const limit = q.limit === undefined ? 1_000 : intParam(q.limit, 'limit', 1, 10_000);
    const rows = d.store.events({ from, to, limit, ...(kind !== undefined ? { kind } : {}), ...(q.agent !== undefined ? { agent: q.agent } : {}) });
    return c.json({ events: rows.map((r) => ({ id: r.id, agent: r.agent, ...r.event })) });
  });

  // Samples acknowledged but kept out of their series: stamped too far in the future (the agent's
  // clock). Each agent's count is in /api/v1/agents; the first rows of each are kept to look at.
  app.get('/api/v1/quarantine', (c) => {
    const q = c.req.query();
    const limit = q.limit === undefined ? 1_000 : intParam(q.limit, 'limit', 1, 10_000);
    return c.json({ samples: d.store.quarantined({ limit, ...(q.agent !== undefined ? { agent: q.agent } : {}) }) });
  });

  app.post('/api/v1/violations/:id', async (c) => {
    const id = intParam(c.req.param('id'), 'id', 1, Number.MAX_SAFE_INTEGER);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw apiError(400, 'bad_body', 'the body must be JSON: {"state": "acknowledged" | "resolved"}');
    }
    const state = (body as { state?: unknown } | null)?.state;
    if (state !== 'acknowledged' && state !== 'resolved' && state !== 'open') throw badParam('state', String(state), 'one of open, acknowledged, resolved');
    const updated = d.store.setEventState(id, state);
    if (updated === null) throw apiError(404, 'not_found', `no violation ${id}`);
    d.sync?.violationChanged(updated);
    d.audit.record({ actor: callerName(c), action: `violation.${state === 'open' ? 'reopen' : state === 'acknowledged' ? 'acknowledge' : 'resolve'}`, target: String(id), detail: { agent: updated.agent } });
    return c.json({ id: updated.id, agent: updated.agent, state: updated.state, ...updated.event });
  });

  registerLiveRoute(app, d.live.hub, (who) => (who.credential.kind === 'token' ? d.tokens.verifyHash(who.credential.tokenHash) !== null : d.sessions.live(who.credential.id)));

  registerQueryRoutes(app, d, query);
  registerSpcRoute(app, d.store, { baselines: d.baselines, audit: d.audit, actor: callerName, ...(d.sync ? { onRebaseline: (b) => d.sync?.rebaselined(b) } : {}) });
  if (d.alerting !== undefined) registerAlertRoutes(app, d.alerting, { admin, actor: callerName });
  if (d.auditLog !== undefined) registerAuditRoute(app, d.auditLog, admin);
  registerCapabilityRoute(app, d.store, d.slos ?? []);
  if (d.runs !== undefined) registerRunRoutes(app, d.runs, d.tokens);
  if (d.incidents) registerIncidentRoutes(app, d.incidents, d.tokens);
  if (d.analytics !== undefined) registerAnalyticsRoutes(app, d.store, d.analytics);
  app.get('/', (c) => serveAsset(c, d.webRoot, 'index.html'));
  app.get('/assets/*', (c) => serveAsset(c, d.webRoot, 'index.html'));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}

