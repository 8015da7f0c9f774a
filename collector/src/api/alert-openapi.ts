/**
 * The OpenAPI paths of the alert, silence, audit and capability-report routes (alert-routes.ts,
 * audit-route.ts, capability-route.ts), with their response schemas; merged into the document
 * by openapi.ts.
 */
const ms = { type: 'integer', minimum: 0, description: 'milliseconds since the epoch' };
const labels = { type: 'object', additionalProperties: { type: 'string' } };
const error = { description: 'a parameter or the body was refused; the message names it', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (schema: Record<string, unknown>, description: string) => ({ description, content: { 'application/json': { schema } } });
const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const pathId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const delivery = {
  type: 'object',
  required: ['id', 'channel', 'kind', 'state', 'attempts', 'createdAt', 'nextAt', 'deliveredAt', 'lastError', 'lastStatus'],
  properties: {
    id: { type: 'string', description: 'the notification id (webhook-id, email Message-ID)' }, channel: { type: 'string' },
    kind: { enum: ['firing', 'resolved', 'repeat'] }, state: { enum: ['pending', 'delivered', 'failed'] }, attempts: { type: 'integer' },
    createdAt: ms, nextAt: { ...ms, type: ['integer', 'null'] }, deliveredAt: { ...ms, type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'], description: 'why the last attempt failed; for `failed`, why it was given up' }, lastStatus: { type: ['integer', 'null'], description: 'HTTP status or SMTP reply code' },
  },
};
const alert = {
  type: 'object',
  required: ['id', 'rule', 'state', 'labels', 'summary', 'startsAt', 'endsAt', 'incident', 'acknowledged', 'suppressed', 'deliveries'],
  properties: {
    id: { type: 'string' }, rule: { type: 'string' }, state: { enum: ['firing', 'resolved'] }, labels, summary: { type: 'string' }, startsAt: ms, endsAt: { ...ms, type: ['integer', 'null'] },
    incident: { type: ['object', 'null'], description: 'the Incident an incident rule matched' },
    acknowledged: { type: ['object', 'null'], properties: { by: { type: 'string' }, at: ms, note: { type: ['string', 'null'] } } },
    suppressed: { type: ['object', 'null'], properties: { by: { enum: ['silence', 'incident'] }, id: { type: 'string' } }, description: 'why it notifies nobody now' },
    deliveries: { type: 'array', items: delivery },
  },
};
const silence = {
  type: 'object',
  required: ['id', 'matchers', 'startsAt', 'endsAt', 'comment', 'createdBy', 'createdAt'],
  properties: { id: { type: 'string' }, matchers: { ...labels, description: 'label → value, `*` and `?` wildcards; `rule` matches the rule name' }, startsAt: ms, endsAt: ms, comment: { type: 'string' }, createdBy: { type: 'string' }, createdAt: ms },
};
const auditEntry = { type: 'object', required: ['id', 'at', 'actor', 'action', 'target'], properties: { id: { type: 'integer' }, at: ms, actor: { type: 'string' }, action: { type: 'string' }, target: { type: 'string' }, detail: { type: 'object' } } };
const capabilityRow = {
  type: 'object',
  required: ['provider', 'model', 'agent', 'metric', 'n', 'transform', 'lsl', 'usl', 'mean', 'sigmaWithin', 'sdOverall', 'cp', 'cpk', 'pp', 'ppk', 'outOfSpec'],
  properties: {
    provider: { type: 'string' }, model: { type: 'string' }, agent: { type: 'string' }, host: { type: 'string' }, metric: { type: 'string' }, n: { type: 'integer' }, transform: { enum: ['none', 'log'] },
    lsl: { type: ['number', 'null'] }, usl: { type: ['number', 'null'] }, mean: { type: ['number', 'null'] }, sigmaWithin: { type: ['number', 'null'] }, sdOverall: { type: ['number', 'null'] },
    cp: { type: ['number', 'null'] }, cpk: { type: ['number', 'null'] }, pp: { type: ['number', 'null'] }, ppk: { type: ['number', 'null'] }, outOfSpec: { type: 'integer' }, error: { type: 'string' },
  },
};

/** Path → operations, in OpenAPI 3.1 form. */
export const ALERT_PATHS: Readonly<Record<string, Record<string, unknown>>> = {
  '/api/v1/alerts': {
    get: {
      summary: 'Alerts overlapping the window, newest first, with each channel\'s delivery state (viewer)',
      parameters: [query('state', 'firing, resolved or all (default)', { enum: ['firing', 'resolved', 'all'] }), query('from', 'default: 7 days before `to`', ms), query('to', 'default: now', ms), query('limit', '1..5000, default 500', { type: 'integer' })],
      responses: { '200': json({ type: 'object', required: ['alerts'], properties: { alerts: { type: 'array', items: alert } } }, '{alerts: [Alert]}'), '400': error, '401': { description: 'no or bad token' } },
    },
  },
  '/api/v1/alerts/{id}': {
    post: {
      summary: 'Acknowledge an alert: no more repeats; audited (admin)',
      parameters: [pathId],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['state'], properties: { state: { const: 'acknowledged' }, note: { type: 'string', maxLength: 500 } } } } } },
      responses: { '200': json(alert, 'the alert'), '400': error, '403': { description: 'not an admin' }, '404': error },
    },
  },
  '/api/v1/silences': {
    get: {
      summary: 'Silences, newest first (viewer)',
      parameters: [query('state', 'active, expired or all (default)', { enum: ['active', 'expired', 'all'] })],
      responses: { '200': json({ type: 'object', required: ['silences'], properties: { silences: { type: 'array', items: silence } } }, '{silences: [Silence]}'), '400': error },
    },
    post: {
      summary: 'Create a silence; audited (admin)',
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['matchers', 'endsAt'], properties: { matchers: labels, startsAt: ms, endsAt: ms, comment: { type: 'string', maxLength: 500 } } } } } },
      responses: { '201': json(silence, 'the silence'), '400': error, '403': { description: 'not an admin' } },
    },
  },
  '/api/v1/silences/{id}': {
    delete: {
      summary: 'Expire a silence now; audited (admin)',
      parameters: [pathId],
      responses: { '200': json(silence, 'the silence, ended'), '403': { description: 'not an admin' }, '404': error, '409': error },
    },
  },
  '/api/v1/audit': {
    get: {
      summary: 'The audit log, newest first (admin)',
      parameters: [query('from', 'default: 7 days before `to`', ms), query('to', 'default: now', ms), query('action', 'an action (alert.fire) or a family (alert.*)'), query('limit', '1..10000, default 1000', { type: 'integer' })],
      responses: { '200': json({ type: 'object', required: ['entries'], properties: { entries: { type: 'array', items: auditEntry } } }, '{entries: [AuditEntry]}'), '400': error, '403': { description: 'not an admin' } },
    },
  },
  '/api/v1/slo/report': {
    get: {
      summary: 'The daily capability report: Cp, Cpk, Pp, Ppk per provider × model × host against the configured SLOs (viewer)',
      parameters: [query('day', 'UTC day YYYY-MM-DD; default: yesterday'), query('format', 'json (default), csv or html', { enum: ['json', 'csv', 'html'] })],
      responses: {
        '200': { description: 'the report', content: { 'application/json': { schema: { type: 'object', required: ['day', 'from', 'to', 'slos', 'rows'], properties: { day: { type: 'string' }, from: ms, to: ms, slos: { type: 'array', items: { type: 'object' } }, rows: { type: 'array', items: capabilityRow } } } }, 'text/csv': { schema: { type: 'string' } }, 'text/html': { schema: { type: 'string' } } } },
        '400': error,
      },
    },
  },
};
