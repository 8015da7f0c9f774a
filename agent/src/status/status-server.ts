/**
 * The agent's own page and JSON on 127.0.0.1:7301 by default: it answers from local state only,
 * so it keeps working while the collector is unreachable.
 */
import { Hono } from 'hono';
import type { LiveHub } from '@sigmascope/protocol/live-hub';
import { serveAsset } from '@sigmascope/web/server/static-assets';
import { serveLiveFeed } from '@sigmascope/web/server/sse';
import type { AgentStatus } from './agent-status.ts';
import { agentMetricsText } from './agent-metrics.ts';

export interface StatusServerDeps {
  readonly status: () => AgentStatus;
  /** True while sampling progresses (the last tick is recent). */
  readonly healthy: () => { ok: boolean; detail: string };
  readonly hub: LiveHub;
  readonly webRoot: string | null;
}

/** Builds the status app; the caller binds it (web/src/server/listen.ts). */
export function statusApp(deps: StatusServerDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => c.json({ error: { code: 'internal', message: err.message } }, 500));
  app.get('/healthz', (c) => {
    const h = deps.healthy();
    return c.json({ ok: h.ok, detail: h.detail }, h.ok ? 200 : 503);
  });
  app.get('/api/status', (c) => c.json(deps.status()));
  app.get('/metrics', (c) => c.text(agentMetricsText(deps.status()), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));
  app.get('/api/live', (c) => serveLiveFeed(c, deps.hub));
  app.get('/', (c) => serveAsset(c, deps.webRoot, 'status.html'));
  app.get('/assets/*', (c) => serveAsset(c, deps.webRoot, 'status.html'));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
