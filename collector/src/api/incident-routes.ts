/**
 * The incidents API (DESIGN.md, "Incidents"; docs/api.md):
 *
 *   GET  /api/v1/incidents[?from&to][&state=open|acknowledged|resolved|all][&cause=…][&limit]   (viewer)
 *   GET  /api/v1/incidents/:id                                                                  (viewer)
 *   POST /api/v1/incidents/:id  {"state": "acknowledged"|"resolved", "note"?}                    (admin)
 *
 * Without `state` every incident in the window; `state=open` means not resolved (open or
 * acknowledged). A change is made by the tracker, which writes it, records it in the audit log
 * with the caller's token name, and tells its listeners. The role checks run before these
 * handlers (api-app.ts).
 */
import type { Context, Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { INCIDENT_CAUSES } from '@sigmascope/protocol/incident';
import type { IncidentCause } from '@sigmascope/protocol/incident';
import type { TokenStore } from '../auth/token-store.ts';
import type { IncidentTracker } from '../incidents/tracking/incident-tracker.ts';
import type { IncidentRows } from '../store/rows/incident-rows.ts';
import { callerName } from './api-auth.ts';
import { apiError, badParam } from './api-error.ts';
import { intParam, timeWindow } from './params.ts';

export interface IncidentRoutesDeps {
  readonly tracker: IncidentTracker;
  readonly rows: IncidentRows;
}

const STATES = ['open', 'acknowledged', 'resolved', 'all'] as const;
const ID = /^inc_[0-9a-z]{1,40}$/;
const MAX_NOTE = 2_000;

export function registerIncidentRoutes(app: Hono<{ Bindings: HttpBindings }>, d: IncidentRoutesDeps, tokens: TokenStore): void {
  app.get('/api/v1/incidents', (c) => {
    const q = c.req.query();
    const { from, to } = timeWindow(q, 30 * 86_400_000);
    const state = q.state ?? 'all';
    if (!(STATES as readonly string[]).includes(state)) throw badParam('state', state, `one of ${STATES.join(', ')}`);
    const cause = q.cause;
    if (cause !== undefined && !(INCIDENT_CAUSES as readonly string[]).includes(cause)) throw badParam('cause', cause, `one of ${INCIDENT_CAUSES.join(', ')}`);
    const limit = q.limit === undefined ? 500 : intParam(q.limit, 'limit', 1, 5_000);
    return c.json({ incidents: d.rows.list({ from, to, state: state as (typeof STATES)[number], ...(cause !== undefined ? { cause: cause as IncidentCause } : {}), limit }) });
  });

  app.get('/api/v1/incidents/:id', (c) => {
    const incident = d.rows.get(idParam(c));
    if (incident === null) throw apiError(404, 'not_found', `no incident ${c.req.param('id')}`);
    return c.json(incident);
  });

  app.post('/api/v1/incidents/:id', async (c) => {
    const id = idParam(c);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw apiError(400, 'bad_body', 'the body must be JSON: {"state": "acknowledged" | "resolved", "note"?: "…"}');
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const unknown = Object.keys(b).filter((k) => k !== 'state' && k !== 'note');
    if (unknown.length > 0) throw badParam(unknown[0] as string, String(b[unknown[0] as string]), 'not a field of this body (state, note)');
    const state = b.state;
    if (state !== 'acknowledged' && state !== 'resolved') throw badParam('state', String(state), 'acknowledged or resolved');
    const note = b.note;
    if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > MAX_NOTE)) throw badParam('note', String(note).slice(0, 40), `a string of at most ${MAX_NOTE} characters`);
    const actor = callerName(c);
    const r = d.tracker.setState(id, state, typeof note === 'string' && note.trim() !== '' ? note.trim() : null, actor, Date.now());
    if (!r.ok) throw apiError(r.status, r.status === 404 ? 'not_found' : 'conflict', r.message);
    return c.json(r.incident);
  });
}

function idParam(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!ID.test(id)) throw badParam('id', id, 'an incident id such as inc_m5x2k1ab3f9c1');
  return id;
}
