/**
 * The status page half of the status server: the page, its assets and the live feed, as a hono
 * app bound to node:http requests. Loaded by status-server.ts on the first request that is not
 * one of the JSON routes, never at start: hono on Node brings the runtime's fetch classes
 * (Request, Response) into memory for the rest of the process's life.
 */
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveHub } from '@sigmascope/protocol/live-hub';
import { serveAsset } from '@sigmascope/web/server/static-assets';
import { serveLiveFeed } from '@sigmascope/web/server/sse';

export interface StatusPageDeps {
  readonly hub: LiveHub;
  readonly webRoot: string | null;
}

/** Answers one node:http request; resolves once the response is written (or streaming). */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The page app: `/` and `/assets/*` from the web bundle, `/api/live` as SSE, JSON 404s otherwise. */
export function statusPageApp(deps: StatusPageDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => c.json({ error: { code: 'internal', message: err.message } }, 500));
  app.get('/api/live', (c) => serveLiveFeed(c, deps.hub));
  app.get('/', (c) => serveAsset(c, deps.webRoot, 'status.html'));
  app.get('/assets/*', (c) => serveAsset(c, deps.webRoot, 'status.html'));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}

/** The page app as a node:http listener. */
export function statusPageListener(deps: StatusPageDeps): NodeListener {
  return getRequestListener(statusPageApp(deps).fetch);
}
