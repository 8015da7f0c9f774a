/**
 * Benchmark runs on the collector: `POST /api/v1/runs` (admin: `bench run --collector` uploads a
 * finished run), `GET /api/v1/runs` (the list, newest first), `GET /api/v1/runs/compare?a=&b=`
 * (the same statistics as `bench compare`), `GET /api/v1/runs/:id` (run.json and its requests).
 * Uploads may be large (a run of many requests), so this route has its own body limit.
 */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HttpBindings } from '@hono/node-server';
import { compareRunSides, DEFAULT_RUN_METRICS, RUN_METRICS } from '@sigmascope/protocol/stats/run-comparison';
import type { RequestSample, RunMetric, RunSide } from '@sigmascope/protocol/stats/run-comparison';
import type { TokenStore } from '../auth/token-store.ts';
import type { RunRows } from '../store/rows/run-rows.ts';
import { callerName } from './api-auth.ts';
import { apiError, badParam } from './api-error.ts';
import { checkRunBody, RUN_ID } from './run-body.ts';
import { intParam } from './params.ts';

/** Largest upload: about 100,000 requests of a long stream each. */
export const MAX_RUN_BODY = 64 * 1024 * 1024;

function fraction(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!(n > 0 && n < 1)) throw badParam(name, raw, 'a number between 0 and 1');
  return n;
}

/** Whether a request is the run upload (the app's general body limit leaves it to this route's). */
export function isRunUpload(c: Context): boolean {
  return c.req.method === 'POST' && c.req.path === '/api/v1/runs';
}

/** Registers the routes (after the app's auth middleware: GET viewer, POST admin). */
export function registerRunRoutes(app: Hono<{ Bindings: HttpBindings }>, runs: RunRows, tokens: TokenStore): void {
  const side = (id: string, name: string): RunSide => {
    if (!RUN_ID.test(id)) throw badParam(name, id, 'a run id');
    const row = runs.get(id);
    if (row === null) throw apiError(404, 'not_found', `no run ${id}`);
    const run = JSON.parse(row.run) as { summary: Record<string, unknown> };
    return { id, targets: Object.keys(run.summary), requests: JSON.parse(row.requests) as RequestSample[] };
  };

  app.post(
    '/api/v1/runs',
    bodyLimit({ maxSize: MAX_RUN_BODY, onError: (c) => c.json({ error: { code: 'too_large', message: `a run upload is limited to ${MAX_RUN_BODY} bytes` } }, 413) }),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw apiError(400, 'bad_body', 'the body must be JSON: {"run": run.json, "requests": [requests.jsonl lines]}');
      }
      const { run, requests } = checkRunBody(body);
      const by = callerName(c);
      const stored = runs.add({ id: run.id, suiteName: run.suite.name, startedAt: run.startedAt, endedAt: run.endedAt, uploadedAt: Date.now(), uploadedBy: by, requests: requests.length, runJson: JSON.stringify(run), requestsJson: JSON.stringify(requests) });
      if (!stored) throw apiError(409, 'exists', `run ${run.id} is already stored`);
      return c.json({ id: run.id, location: `/runs/${encodeURIComponent(run.id)}` }, 201);
    },
  );

  app.get('/api/v1/runs', (c) => {
    const limit = c.req.query('limit') === undefined ? 200 : intParam(c.req.query('limit'), 'limit', 1, 10_000);
    return c.json({ runs: runs.list(limit) });
  });

  app.get('/api/v1/runs/compare', (c) => {
    const q = c.req.query();
    if (q.a === undefined || q.b === undefined) throw badParam(q.a === undefined ? 'a' : 'b', undefined, 'two run ids, a (baseline) and b');
    const metrics = (q.metric?.split(',').filter(Boolean) ?? [...DEFAULT_RUN_METRICS]).map((m) => {
      if (!(RUN_METRICS as readonly string[]).includes(m)) throw badParam('metric', m, `one of ${RUN_METRICS.join(', ')}`);
      return m as RunMetric;
    });
    return c.json(compareRunSides(side(q.a, 'a'), side(q.b, 'b'), metrics, { threshold: fraction(q.threshold, 'threshold', 0.05), alpha: fraction(q.alpha, 'alpha', 0.05) }));
  });

  app.get('/api/v1/runs/:id', (c) => {
    const id = c.req.param('id');
    if (!RUN_ID.test(id)) throw badParam('id', id, 'a run id');
    const row = runs.get(id);
    if (row === null) throw apiError(404, 'not_found', `no run ${id}`);
    return c.body(`{"run":${row.run},"requests":${row.requests}}`, 200, { 'content-type': 'application/json' });
  });
}
