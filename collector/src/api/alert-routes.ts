/**
 * Alerts and silences (docs/api.md, docs/alerts.md):
 *
 *   GET    /api/v1/alerts[?state=firing|resolved|all][&from&to][&limit]   viewer
 *   POST   /api/v1/alerts/:id      {"state": "acknowledged", "note"?}       admin
 *   GET    /api/v1/silences[?state=active|expired|all]                     viewer
 *   POST   /api/v1/silences        {"matchers", "endsAt", "startsAt"?, "comment"?}  admin → 201
 *   DELETE /api/v1/silences/:id    (expires it now)                         admin
 *
 * Every change is recorded in the audit log as the token's name.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { LABEL_NAME_PATTERN } from '@sigmascope/protocol/series';
import type { Alerting } from '../alerts/alerting.ts';
import { apiError, badParam } from './api-error.ts';
import { intParam, timeWindow } from './params.ts';

const MAX_MATCHERS = 20;
const MAX_TEXT = 500;
const YEAR_MS = 366 * 86_400_000;

/** Reads a JSON object body or answers 400 with `shape` as the expected form. */
export async function jsonObject(c: Context, shape: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw apiError(400, 'bad_body', `the body must be JSON: ${shape}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw apiError(400, 'bad_body', `the body must be a JSON object: ${shape}`);
  return body as Record<string, unknown>;
}

function note(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || raw.length > MAX_TEXT) throw badParam('note', String(raw), `text of at most ${MAX_TEXT} characters`);
  return raw;
}

export function registerAlertRoutes(app: Hono<{ Bindings: HttpBindings }>, alerting: Alerting, roles: { admin: MiddlewareHandler; actor: (c: Context) => string }): void {
  app.get('/api/v1/alerts', (c) => {
    const q = c.req.query();
    const state = q.state ?? 'all';
    if (state !== 'firing' && state !== 'resolved' && state !== 'all') throw badParam('state', state, 'one of firing, resolved, all');
    const { from, to } = timeWindow(q, 7 * 86_400_000);
    const limit = q.limit === undefined ? 500 : intParam(q.limit, 'limit', 1, 5_000);
    return c.json({ alerts: alerting.list({ state, from, to, limit }) });
  });

  app.post('/api/v1/alerts/:id', async (c) => {
    const body = await jsonObject(c, '{"state": "acknowledged", "note"?: "…"}');
    if (body.state !== 'acknowledged') throw badParam('state', String(body.state), 'acknowledged (an alert resolves by itself when its condition clears)');
    const id = c.req.param('id');
    const a = alerting.acknowledge(id, roles.actor(c), note(body.note));
    if (a === null) throw apiError(404, 'not_found', `no alert ${id}`);
    return c.json(a);
  });

  app.get('/api/v1/silences', (c) => {
    const state = c.req.query('state') ?? 'all';
    if (state !== 'active' && state !== 'expired' && state !== 'all') throw badParam('state', state, 'one of active, expired, all');
    return c.json({ silences: alerting.listSilences(state, 1_000) });
  });

  app.post('/api/v1/silences', async (c) => {
    const shape = '{"matchers": {"LABEL": "VALUE", …}, "endsAt": MS, "startsAt"?: MS, "comment"?: "…"}';
    const body = await jsonObject(c, shape);
    const now = Date.now();
    const m = body.matchers;
    if (typeof m !== 'object' || m === null || Array.isArray(m) || Object.keys(m).length === 0 || Object.keys(m).length > MAX_MATCHERS) {
      throw badParam('matchers', JSON.stringify(m), `1 to ${MAX_MATCHERS} label matchers, e.g. {"rule": "gpu-hot", "agent": "gpu-01"}`);
    }
    const matchers: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (!LABEL_NAME_PATTERN.test(k) || typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT) throw badParam(`matchers.${k}`, JSON.stringify(v), 'a label name with a non-empty text value (* and ? are wildcards)');
      matchers[k] = v;
    }
    const time = (raw: unknown, name: string, fallback: number | null): number => {
      if (raw === undefined && fallback !== null) return fallback;
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) throw badParam(name, JSON.stringify(raw), 'milliseconds since the epoch');
      return raw;
    };
    const startsAt = time(body.startsAt, 'startsAt', now);
    const endsAt = time(body.endsAt, 'endsAt', null);
    if (endsAt <= Math.max(now, startsAt)) throw badParam('endsAt', String(endsAt), 'a time after now and after startsAt');
    if (endsAt - now > YEAR_MS) throw badParam('endsAt', String(endsAt), 'at most a year from now');
    const comment = body.comment === undefined ? '' : body.comment;
    if (typeof comment !== 'string' || comment.length > MAX_TEXT) throw badParam('comment', String(comment), `text of at most ${MAX_TEXT} characters`);
    return c.json(alerting.createSilence({ matchers, startsAt, endsAt, comment }, roles.actor(c)), 201);
  });

  app.delete('/api/v1/silences/:id', roles.admin, (c) => {
    const id = c.req.param('id');
    const s = alerting.expireSilence(id, roles.actor(c));
    if (s === null) throw apiError(404, 'not_found', `no silence ${id}`);
    if (s === false) throw apiError(409, 'already_expired', `silence ${id} has already ended`);
    return c.json(s);
  });
}
