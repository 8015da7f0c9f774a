/**
 * `GET /api/v1/audit[?from&to][&action=alert.fire|alert.*][&limit]` (admin): the audit log,
 * newest first (default: the last 7 days, at most 1,000 entries).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { StoredAuditEntry } from '../store/rows/audit-rows.ts';
import { badParam } from './api-error.ts';
import { intParam, timeWindow } from './params.ts';

/** The audit log as the route reads it. */
export interface AuditLog {
  list(filter: { from: number; to: number; action: string | null; limit: number }): StoredAuditEntry[];
}

export function registerAuditRoute(app: Hono<{ Bindings: HttpBindings }>, audit: AuditLog, admin: MiddlewareHandler): void {
  app.get('/api/v1/audit', admin, (c) => {
    const q = c.req.query();
    const { from, to } = timeWindow(q, 7 * 86_400_000);
    const action = q.action ?? null;
    if (action !== null && !/^[a-z_]+(\.[a-z_]+|\.\*)$/.test(action)) throw badParam('action', action, 'an action such as alert.fire, or a family such as alert.*');
    const limit = q.limit === undefined ? 1_000 : intParam(q.limit, 'limit', 1, 10_000);
    return c.json({ entries: audit.list({ from, to, action, limit }) });
  });
}
