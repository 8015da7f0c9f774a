/**
 * The agent's own page and JSON on 127.0.0.1:7301 by default: it answers from local state only,
 * so it keeps working while the collector is unreachable.
 *
 *   beyond loopback: every path but /healthz needs the status token first (status-gate.ts)
 *   GET|HEAD /healthz, /api/status, /metrics ──▶ answered here on node:http from local state
 *   POST /api/spc/rebaseline {"key"?}        ──▶ a new SPC baseline for one watched series (or all)
 *   anything else (/, /assets/*, /api/live, 404) ──▶ the page app (status-page.ts, hono),
 *                                                    imported on the first such request
 *
 * Why two halves: hono on Node keeps the runtime's fetch classes (undici) in memory, about
 * 4.5 MB of the agent's RSS, from the moment it is imported. Health checks and scrapes are what
 * an agent answers all day; the page is opened now and then, and pays for itself when it is.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveHub } from '@sigmascope/protocol/live-hub';
import type { Listening } from '@sigmascope/web/server/listen';
import { guardServerSockets } from '@sigmascope/web/server/server-sockets';
import type { AgentStatus } from './agent-status.ts';
import { agentMetricsText } from './agent-metrics.ts';
import { statusGate } from './status-gate.ts';
import type { NodeListener } from './status-page.ts';

export interface StatusServerDeps {
  readonly status: () => AgentStatus;
  /** True while sampling progresses (the last tick is recent). */
  readonly healthy: () => { ok: boolean; detail: string };
  readonly hub: LiveHub;
  readonly webRoot: string | null;
  /** The status token when listening beyond loopback (status-gate.ts), else null. */
  readonly token: string | null;
  /** Starts new SPC baselines: for one series key, or every watched series; returns how many. */
  readonly rebaseline?: (key: string | undefined) => number;
}

const MAX_BODY = 4096;

/**
 * POST /api/spc/rebaseline. Only a same-origin page may ask: the body must be JSON (a cross-site
 * form cannot send that without a preflight this server never answers) and an Origin, when sent,
 * must be this server's. Answers {"rebaselined": n}; 404 for a key that is not watched.
 */
function rebaselineRequest(deps: StatusServerDeps, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return send(req, res, json({ error: { code: 'forbidden', message: `requests from ${origin} are refused` } }, 403));
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(req, res, json({ error: { code: 'bad_body', message: 'the body must be JSON: {"key": "name{label=\\"v\\"}"} or {}' } }, 415));
  let body = '';
  let size = 0;
  req.on('data', (d: Buffer) => {
    size += d.length;
    if (size <= MAX_BODY) body += d.toString('utf8');
  });
  req.on('end', () => {
    if (size > MAX_BODY) return send(req, res, json({ error: { code: 'too_large', message: `bodies are limited to ${MAX_BODY} bytes` } }, 413));
    let key: unknown;
    try {
      key = (JSON.parse(body || '{}') as { key?: unknown }).key;
    } catch {
      return send(req, res, json({ error: { code: 'bad_body', message: 'the body is not JSON' } }, 400));
    }
    if (key !== undefined && typeof key !== 'string') return send(req, res, json({ error: { code: 'bad_body', message: '"key" must be a series key' } }, 400));
    const n = deps.rebaseline?.(key) ?? 0;
    if (n === 0 && key !== undefined) return send(req, res, json({ error: { code: 'not_found', message: `no watched series ${key}` } }, 404));
    send(req, res, json({ rebaselined: n }));
  });
}

type Answer = { readonly status: number; readonly type: string; readonly body: string };

const json = (value: unknown, status = 200): Answer => ({ status, type: 'application/json', body: JSON.stringify(value) });

/** The JSON routes by path; null for every other path. */
function localAnswer(deps: StatusServerDeps, path: string): Answer | null {
  switch (path) {
    case '/healthz': {
      const h = deps.healthy();
      return json({ ok: h.ok, detail: h.detail }, h.ok ? 200 : 503);
    }
    case '/api/status':
      return json(deps.status());
    case '/metrics':
      return { status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: agentMetricsText(deps.status()) };
    default:
      return null;
  }
}

function send(req: IncomingMessage, res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': a.type, 'content-length': Buffer.byteLength(a.body) });
  res.end(req.method === 'HEAD' ? undefined : a.body);
}

/** The request handler: JSON routes here, everything else to the page app once it is loaded. */
export function statusRequestHandler(deps: StatusServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  let page: Promise<NodeListener> | null = null;
  const loadPage = (): Promise<NodeListener> =>
    (page ??= import('./status-page.ts').then(
      (m) => m.statusPageListener({ hub: deps.hub, webRoot: deps.webRoot }),
      (err: unknown) => {
        page = null;
        throw err;
      },
    ));
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    if (res.headersSent) return void res.destroy();
    send(req, res, json({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }, 500));
  };
  const gate = statusGate(deps.token);
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (!gate(req, res, path)) return;
    if (req.method === 'GET' || req.method === 'HEAD') {
      let answer: Answer | null;
      try {
        answer = localAnswer(deps, path);
      } catch (err) {
        return fail(req, res, err);
      }
      if (answer !== null) return send(req, res, answer);
    }
    if (req.method === 'POST' && path === '/api/spc/rebaseline') return rebaselineRequest(deps, req, res);
    loadPage().then((listener) => listener(req, res)).catch((err: unknown) => fail(req, res, err));
  };
}

/** Binds the status server; resolves once listening, rejects with the system error (EADDRINUSE). */
export function startStatusServer(deps: StatusServerDeps, host: string, port: number): Promise<Listening> {
  const server = createServer(statusRequestHandler(deps));
  guardServerSockets(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        host,
        port: (server.address() as AddressInfo).port,
        server,
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}
