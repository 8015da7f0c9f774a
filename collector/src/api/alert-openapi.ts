/**
 * The OpenAPI operations of the alert, silence, audit and capability-report routes
 * (alert-routes.ts, audit-route.ts, capability-route.ts): method, path, role, parameters, body and
 * the schema of the answer, in the form openapi.ts turns into the document's paths.
 */
import { arr, int, json, labels, ms, nullable, num, obj, ref, str } from './openapi-parts.ts';
import type { Operation, Schema } from './openapi-parts.ts';

const id = { name: 'id', required: true, description: 'its id' };

/** Component schemas the operations refer to. */
export const ALERT_SCHEMAS: Readonly<Record<string, Schema>> = {
  Delivery: obj({
    id: { type: 'string', description: 'the notification id (webhook-id, email Message-ID)' }, channel: str, kind: { type: 'string', enum: ['firing', 'resolved', 'repeat'] },
    state: { type: 'string', enum: ['pending', 'delivered', 'failed'] }, attempts: int, createdAt: ms, nextAt: nullable(ms), deliveredAt: nullable(ms),
    lastError: { ...nullable(str), description: 'why the last attempt failed; for `failed`, why it was given up' }, lastStatus: { ...nullable(int), description: 'HTTP status or SMTP reply code' },
  }),
  Alert: obj({
    id: str, rule: str, state: { type: 'string', enum: ['firing', 'resolved'] }, labels, summary: str, startsAt: ms, endsAt: nullable(ms),
    incident: { ...nullable({ type: 'object' }), description: 'the Incident an incident rule matched' },
    acknowledged: nullable(obj({ by: str, at: ms, note: nullable(str) })),
    suppressed: { ...nullable(obj({ by: { type: 'string', enum: ['silence', 'incident'] }, id: str })), description: 'why it notifies nobody now' },
    deliveries: arr(ref('Delivery')),
  }),
  Silence: obj({ id: str, matchers: { ...labels, description: 'label → value, `*` and `?` wildcards; `rule` matches the rule name' }, startsAt: ms, endsAt: ms, comment: str, createdBy: str, createdAt: ms }),
  AuditEntry: obj({ id: int, at: ms, actor: str, action: str, target: str, detail: { type: 'object' } }, ['detail']),
  CapabilityRow: obj({
    provider: str, model: str, agent: str, host: str, metric: str, transform: { type: 'string', enum: ['none', 'log'] }, lsl: nullable(num), usl: nullable(num), n: int,
    mean: nullable(num), sigmaWithin: nullable(num), sdOverall: nullable(num), cp: nullable(num), cpk: nullable(num), pp: nullable(num), ppk: nullable(num), outOfSpec: int, error: str,
  }, ['error']),
};

export const ALERT_OPERATIONS: readonly Operation[] = [
  {
    method: 'get', path: '/api/v1/alerts', role: 'viewer', summary: 'Alerts overlapping the window, newest first, with each channel\'s delivery state (docs/alerts.md)',
    params: [{ name: 'state', description: 'firing, resolved or all (default)', schema: { type: 'string', enum: ['firing', 'resolved', 'all'] } }, { name: 'from', description: 'default: 7 days before `to`', schema: ms }, { name: 'to', description: 'default: now', schema: ms }, { name: 'limit', description: '1..5000, default 500', schema: int }],
    content: json(obj({ alerts: arr(ref('Alert')) })),
  },
  { method: 'post', path: '/api/v1/alerts/{id}', role: 'admin', summary: 'Acknowledge an alert: no more repeats; audited', params: [id], body: obj({ state: { type: 'string', enum: ['acknowledged'] }, note: { type: 'string', maxLength: 500 } }, ['note']), content: json(ref('Alert')) },
  { method: 'get', path: '/api/v1/silences', role: 'viewer', summary: 'Silences, newest first', params: [{ name: 'state', description: 'active, expired or all (default)', schema: { type: 'string', enum: ['active', 'expired', 'all'] } }], content: json(obj({ silences: arr(ref('Silence')) })) },
  { method: 'post', path: '/api/v1/silences', role: 'admin', summary: 'Create a silence (at most a year); audited', body: obj({ matchers: labels, startsAt: ms, endsAt: ms, comment: { type: 'string', maxLength: 500 } }, ['startsAt', 'comment']), status: 201, content: json(ref('Silence')) },
  { method: 'delete', path: '/api/v1/silences/{id}', role: 'admin', summary: 'Expire a silence now (409 when it had ended); audited', params: [id], content: json(ref('Silence')) },
  {
    method: 'get', path: '/api/v1/audit', role: 'admin', summary: 'The audit log, newest first',
    params: [{ name: 'from', description: 'default: 7 days before `to`', schema: ms }, { name: 'to', description: 'default: now', schema: ms }, { name: 'action', description: 'an action (alert.fire) or a family (alert.*)' }, { name: 'limit', description: '1..10000, default 1000', schema: int }],
    content: json(obj({ entries: arr(ref('AuditEntry')) })),
  },
  {
    method: 'get', path: '/api/v1/slo/report', role: 'viewer', summary: 'The daily capability report: Cp, Cpk, Pp, Ppk per provider × model × host against the configured SLOs',
    params: [{ name: 'day', description: 'UTC day YYYY-MM-DD or `today`; default: yesterday' }, { name: 'format', description: 'json (default), csv or html', schema: { type: 'string', enum: ['json', 'csv', 'html'] } }],
    content: { ...json(obj({ day: str, from: ms, to: ms, generatedAt: ms, slos: arr({ type: 'object' }), rows: arr(ref('CapabilityRow')) })), 'text/csv': { schema: str }, 'text/html': { schema: str } },
  },
];
