/**
 * The incidents routes in the OpenAPI document (openapi.ts joins them): their parameters, the
 * POST body, and the `Incident` schema of protocol/src/incident.ts.
 */
import { int, json, ms, obj, ref, str } from './openapi-parts.ts';
import type { Operation, Schema } from './openapi-parts.ts';

/** Schemas the incidents routes answer with. */
export const INCIDENT_SCHEMAS: Readonly<Record<string, Schema>> = {
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

const id = { name: 'id', required: true, description: 'incident id' };

/** The operations of the incidents routes (incident-routes.ts). */
export const INCIDENT_OPERATIONS: readonly Operation[] = [
  {
    method: 'get', path: '/api/v1/incidents', role: 'viewer', summary: 'Incidents active in the window, newest first',
    params: [
      { name: 'from', description: 'default: 30 days before `to`', schema: ms },
      { name: 'to', description: 'default: now', schema: ms },
      { name: 'state', description: 'default all; open: not resolved (open or acknowledged)', schema: { type: 'string', enum: ['open', 'acknowledged', 'resolved', 'all'] } },
      { name: 'cause', description: 'only incidents of this cause', schema: { type: 'string', enum: ['provider', 'host', 'network', 'unknown'] } },
      { name: 'limit', description: 'default 500', schema: { ...int, minimum: 1, maximum: 5000 } },
    ],
    content: json(obj({ incidents: { type: 'array', items: ref('Incident') } })),
  },
  { method: 'get', path: '/api/v1/incidents/{id}', role: 'viewer', summary: 'One incident with its evidence', params: [id], content: json(ref('Incident')) },
  {
    method: 'post', path: '/api/v1/incidents/{id}', role: 'admin',
    summary: 'Acknowledge or resolve an incident, with an optional note; recorded in the audit log (409: a resolved incident cannot be acknowledged)',
    params: [id],
    body: { type: 'object', required: ['state'], additionalProperties: false, properties: { state: { type: 'string', enum: ['acknowledged', 'resolved'] }, note: { ...str, maxLength: 2000 } } },
    content: json(ref('Incident')),
  },
];
