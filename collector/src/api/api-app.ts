/**
 * The collector's HTTP surface: health, metrics, the JSON API under /api/v1 (viewer/admin tokens),
 * the live feed and the dashboard bundle. Handlers validate every parameter (400 naming it) and
 * bound every answer; errors become JSON in one onError.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { HttpBindings } from '@hono/node-server';
import { METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { serveAsset } from '@sigmascope/web/server/static-assets';
import { serveLiveFeed } from '@sigmascope/web/server/sse';
import type { AuthFailures } from '../auth/auth-failures.ts';
import type { TokenStore } from '../auth/token-store.ts';
import type { IngestStats } from '../ingest/ingest-stats.ts';
import type { AgentBacklog } from '../ingest/ingest-server.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import type { Store } from '../store/store.ts';
import { presentedToken, requireRole, SESSION_COOKIE } from './api-auth.ts';
import { apiError, badParam } from './api-error.ts';
import { exactLabels, intParam, timeWindow } from './params.ts';
import { collectorMetricsText } from './collector-metrics.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { registerSpcRoute } from './spc-route.ts';
import { registerAnalyticsRoutes } from '../analytics/analytics-routes.ts';
import type { AnalyticsDeps } from '../analytics/analytics-routes.ts';

export interface ApiDeps {
  readonly store: Store;
  readonly tokens: TokenStore;
  readonly failures: AuthFailures;
  readonly stats: IngestStats;
  readonly live: LiveFeed;
  readonly connectedAgents: () => ReadonlySet<string>;
  readonly agentBacklogs: () => ReadonlyMap<string, AgentBacklog>;
  readonly ready: () => boolean;
  readonly webRoot: string | null;
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
  const viewer = requireRole(d.tokens, d.failures, ['viewer', 'admin'], address);
  const admin = requireRole(d.tokens, d.failures, ['admin'], address);

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.use('*', bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: { code: 'too_large', message: `bodies are limited to ${MAX_BODY} bytes` } }, 413) }));

  app.get('/healthz', (c) => c.json({ ok: true }));
  // Not ready while the store refuses writes (a full disk): agents keep their data until it takes it again.
  app.get('/readyz', (c) => (!d.ready() ? c.json({ ready: false }, 503) : d.stats.storeRefusing !== null ? c.json({ ready: false, reason: `the store refuses writes: ${d.stats.storeRefusing}` }, 503) : c.json({ ready: true })));
  app.get('/metrics', (c) => c.text(collectorMetricsText(d.stats, d.connectedAgents().size, d.live.hub.size), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));

  app.get('/login', (c) => {
    const token = c.req.query('token') ?? '';
    const identity = d.tokens.verify(token);
    if (identity === null || identity.role === 'agent') {
      d.failures.record(address(c));
      throw apiError(401, 'unauthorized', 'this link is not valid: create a viewer token with `sigmascope token create NAME --role viewer`');
    }
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 30 * 24 * 3600 });
    return c.redirect('/', 303);
  });

  app.use('/api/v1/*', viewer);
  app.post('/api/v1/*', admin);

  // Who the caller is, so a page can offer only what the role allows (viewers cannot acknowledge).
  app.get('/api/v1/session', (c) => {
    const identity = d.tokens.verify(presentedToken(c) ?? '');
    return c.json({ name: identity?.name ?? null, role: identity?.role ?? null });
  });

  app.get('/api/v1/agents', (c) => {
    const connected = d.connectedAgents();
    const backlogs = d.agentBacklogs();
    return c.json({
      agents: d.store.agents().map((a) => {
        const b = backlogs.get(a.id);
        return { ...a, connected: connected.has(a.id), buffer: b === undefined ? null : { frames: b.frames, bytes: b.bytes, droppedSamples: b.droppedSamples, reportedAt: b.at } };
      }),
    });
  });

  app.get('/api/v1/series', (c) => {
    const q = c.req.query();
    const name = q.name;
    if (name === undefined || !METRIC_NAME_PATTERN.test(name)) throw badParam('name', name, 'a metric name such as system.cpu.utilization');
    const { from, to } = timeWindow(q, 3_600_000);
    const limit = q.limit === undefined ? MAX_POINTS : intParam(q.limit, 'limit', 1, MAX_POINTS);
    const labels = exactLabels(q, RESERVED);
    // Raw points while the range holds few enough at 2 Hz; otherwise averages over a step, and the answer says which.
    let stepMs = q.step === undefined ? undefined : intParam(q.step, 'step', 1, 366 * 86_400_000);
    if (stepMs === undefined && (to - from) / 500 > MAX_RAW_POINTS) stepMs = Math.ceil((to - from) / MAX_RAW_POINTS / 1000) * 1000;
    const series = d.store.series({ name, labels, ...(q.agent !== undefined ? { agent: q.agent } : {}), from, to, maxPoints: limit, maxSeries: MAX_SERIES, ...(stepMs !== undefined ? { stepMs } : {}) });
    return c.json(stepMs === undefined ? { resolution: 'raw', from, to, series } : { resolution: 'step', stepMs, aggregation: 'avg', from, to, series });
  });

  app.get('/api/v1/stats', (c) => {
    const s = d.stats;
    return c.json({
      samples: { stored: d.store.sampleCount(), storedSinceStart: s.samplesStored, duplicatesSuppressed: s.samplesDuplicate, quarantinedSinceStart: s.samplesQuarantined },
      frames: { stored: s.framesStored, duplicates: s.framesDuplicate, rejected: s.framesRejected, commits: s.commits, commitFailures: s.commitFailures },
      store: { writable: s.storeRefusing === null, refusing: s.storeRefusing },
      auth: { refused: s.authRefused },
      connections: { open: s.connectionsOpen, total: s.connectionsTotal, agentsConnected: d.connectedAgents().size },
      live: { pages: d.live.hub.size, framesPublished: d.live.hub.published },
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
    return c.json({ id: updated.id, agent: updated.agent, state: updated.state, ...updated.event });
  });

  app.get('/api/v1/live', (c) => serveLiveFeed(c, d.live.hub));

  registerQueryRoutes(app, d);
  registerSpcRoute(app, d.store);
  if (d.analytics !== undefined) registerAnalyticsRoutes(app, d.store, d.analytics);
  app.get('/', (c) => serveAsset(c, d.webRoot, 'index.html'));
  app.get('/assets/*', (c) => serveAsset(c, d.webRoot, 'index.html'));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}

