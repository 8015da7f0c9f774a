/**
 * The incidents routes in the OpenAPI document (openapi.ts merges them): their parameters, the
 * POST body, and the `Incident` schema of protocol/src/incident.ts.
 */

const ms = { type: 'integer', minimum: 0, description: 'milliseconds since the epoch' };
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown): { 'application/json': { schema: unknown } } => ({ 'application/json': { schema } });
const error = (description: string): { description: string; content: ReturnType<typeof json> } => ({ description, content: json(ref('Error')) });

/** Schemas the incidents routes answer with. */
export const INCIDENT_SCHEMAS: Record<string, unknown> = {
  IncidentEvidence: {
    type: 'object',
    required: ['agent', 'name', 'labels', 'baseline', 'current', 'shift', 'score'],
    properties: {
      agent: { type: 'string' },
      name: { type: 'string', description: 'metric name; sigmascope.probe.server_time is TTFT − TTFB of each probe run, derived by the collector' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      baseline: { type: 'number', description: 'median of the baseline, in the series\' unit' },
      current: { type: 'number', description: 'median over the detection window, in the series\' unit' },
      shift: { type: 'number', description: 'current / baseline for latencies, current − baseline for other series' },
      score: { type: 'number', description: 'the shift in units of the baseline\'s MAD × 1.4826' },
    },
  },
  Incident: {
    type: 'object',
    required: ['id', 'state', 'startedAt', 'openedAt', 'resolvedAt', 'cause', 'confidence', 'scope', 'summary', 'evidence'],
    properties: {
      id: { type: 'string' },
      state: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] },
      startedAt: { ...ms, description: 'estimated onset (ms)' },
      openedAt: ms,
      resolvedAt: { type: ['integer', 'null'] },
      cause: { type: 'string', enum: ['provider', 'host', 'network', 'unknown'] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      scope: {
        type: 'object', required: ['provider', 'model', 'agents'],
        properties: { provider: { type: ['string', 'null'] }, model: { type: ['string', 'null'] }, agents: { type: 'array', items: { type: 'string' } } },
      },
      summary: { type: 'string' },
      evidence: { type: 'array', items: ref('IncidentEvidence') },
      note: { type: ['string', 'null'], description: 'the note of the last acknowledge or resolve' },
    },
  },
};

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'incident id' };

/** Path items of the incidents routes. */
export const INCIDENT_PATHS: Record<string, unknown> = {
  '/api/v1/incidents': {
    get: {
      summary: 'Incidents active in the window, newest first (viewer)',
      parameters: [
        { name: 'from', in: 'query', schema: ms, description: 'default: 30 days before `to`' },
        { name: 'to', in: 'query', schema: ms, description: 'default: now' },
        { name: 'state', in: 'query', schema: { type: 'string', enum: ['open', 'acknowledged', 'resolved', 'all'] }, description: 'default all; open: not resolved (open or acknowledged)' },
        { name: 'cause', in: 'query', schema: { type: 'string', enum: ['provider', 'host', 'network', 'unknown'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 5000 }, description: 'default 500' },
      ],
      responses: { '200': { description: '{incidents: [Incident]}', content: json({ type: 'object', required: ['incidents'], properties: { incidents: { type: 'array', items: ref('Incident') } } }) }, '400': error('a parameter was refused; the message names it'), '401': { description: 'no or bad token' } },
    },
  },
  '/api/v1/incidents/{id}': {
    get: {
      summary: 'One incident with its evidence (viewer)',
      parameters: [id],
      responses: { '200': { description: 'the Incident', content: json(ref('Incident')) }, '404': error('no such incident'), '401': { description: 'no or bad token' } },
    },
    post: {
      summary: 'Acknowledge or resolve an incident, with an optional note (admin); recorded in the audit log',
      parameters: [id],
      requestBody: { required: true, content: json({ type: 'object', required: ['state'], additionalProperties: false, properties: { state: { type: 'string', enum: ['acknowledged', 'resolved'] }, note: { type: 'string', maxLength: 2000 } } }) },
      responses: {
        '200': { description: 'the Incident after the change (unchanged when it already was in that state)', content: json(ref('Incident')) },
        '400': error('bad body'), '401': { description: 'no or bad token' }, '403': { description: 'not an admin token' },
        '404': error('no such incident'), '409': error('a resolved incident cannot be acknowledged'),
      },
    },
  },
};
