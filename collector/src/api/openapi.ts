/**
 * The OpenAPI 3.1 document of the collector's HTTP surface, served at GET /api/v1/openapi.json:
 * every route the app registers, with its parameters, its role and the schema of its answer.
 * tests/openapi-complete.test.ts walks the app's registered routes and fails for any route that
 * is not here, so a new route is documented when it is added. Every query route also answers CSV
 * with `format=csv`.
 */
import { ALERT_OPERATIONS, ALERT_SCHEMAS } from './alert-openapi.ts';
import { arr, bool, int, json, labels, ms, nullable, num, obj, pointPairs, ref, str } from './openapi-parts.ts';
import type { Operation, Param, Schema } from './openapi-parts.ts';
import { RUN_OPERATIONS } from './run-openapi.ts';
import { INCIDENT_OPERATIONS, INCIDENT_SCHEMAS } from './incident-openapi.ts';


const P = {
  name: { name: 'name', required: true, description: 'metric name, e.g. hw.gpu.utilization', schema: { type: 'string' } },
  from: { name: 'from', description: 'start (ms, inclusive); default: an hour before `to`', schema: ms },
  to: { name: 'to', description: 'end (ms, inclusive); default: now', schema: ms },
  step: { name: 'step', description: 'bucket width in ms; multiples of 10 s, 1 min or 1 h are answered from rollup tiers', schema: { type: 'integer', minimum: 1000 } },
  agg: { name: 'agg', description: 'aggregation per bucket', schema: { type: 'string', enum: ['avg', 'min', 'max', 'sum', 'count'] } },
  by: { name: 'by', description: 'comma-separated label names (or `agent`) to group by', schema: { type: 'string' } },
  q: { name: 'q', description: 'comma-separated quantiles in [0, 1]; default 0.5,0.9,0.95,0.99', schema: { type: 'string' } },
  format: { name: 'format', description: '`json` (default) or `csv`', schema: { type: 'string', enum: ['json', 'csv'] } },
  label: { name: 'LABEL', description: 'any other parameter matches a label: `LABEL=VALUE` exactly, `LABEL~=PATTERN` with `*` and `?`; `agent` matches the agent id', schema: { type: 'string' } },
  agent: { name: 'agent', description: 'agent id' },
} satisfies Record<string, Param>;

const SCHEMAS: Record<string, Schema> = {
  Error: obj({ error: obj({ code: str, message: str }) }),
  Agent: obj({ id: str, name: str, hostname: str, version: str, bootId: str, connected: bool, lastSeen: nullable(int), samples: int, lastSeq: int, clockSkewMs: nullable(num), quarantinedSamples: int, refusedSamples: int, series: int, buffer: nullable(obj({ frames: int, bytes: int, droppedSamples: int, reportedAt: int })) }, ['name', 'hostname', 'version', 'bootId', 'clockSkewMs', 'quarantinedSamples', 'refusedSamples', 'series', 'buffer']),
  Series: obj({ agent: str, name: str, labels, points: pointPairs }, ['name']),
  Violation: obj({ id: int, agent: str, ts: int, name: str, labels, rule: str, value: num, center: num, sigma: num, state: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] } }),
  SpcChart: obj({
    agent: str, name: str, labels, chart: { type: 'string', enum: ['individuals', 'xbar-r', 'xbar-s'] }, transform: { type: 'string', enum: ['none', 'log'] },
    of: { type: 'string', enum: ['rate'], description: 'present for a counter: the chart is of its per-second rate' },
    center: num, sigma: num, lcl: num, ucl: num, size: int, n: int, phase1: int, rules: arr(str), dropped: { type: 'integer', description: 'values of the subgroup still filling, left out' },
    zones: obj({ sigma1: arr(num), sigma2: arr(num), sigma3: arr(num) }),
    points: arr(obj({ value: num, size: int, lcl: num, ucl: num, phase: int, ts: int }, ['ts'])),
    violations: arr(obj({ rule: str, index: int, value: num })),
    dispersion: obj({ kind: { type: 'string', enum: ['mr', 'r', 's'] }, center: num, lcl: num, ucl: num, points: arr(nullable(obj({ value: num, lcl: num, ucl: num }))), beyond: arr(int) }),
    inUnits: obj({ center: num, lcl: num, ucl: num, sigmaFactor: num, zones: obj({ sigma1: arr(num), sigma2: arr(num), sigma3: arr(num) }) }),
    capability: { type: 'object', description: 'cp, cpk, pp, ppk, cpm, … when spec limits were given' },
    baseline: obj({ from: int, at: int, by: str }),
  }, ['of', 'inUnits', 'capability', 'dropped', 'baseline']),
};

const series = [P.name, P.label];

const one = [{ ...P.name, required: false, description: 'metric name (or give `series`)' }, { name: 'series', description: 'the series key, `name{label="v",…}`, instead of name and labels' }, P.label, { name: 'agent', description: 'agent id (needed when several agents have the series)' }];
/** The analytics routes (collector/src/analytics/analytics-routes.ts), all GET for viewers. */
const ANALYTICS_ROUTES: readonly { path: string; summary: string; params: readonly Param[]; answer: string }[] = [
  { path: '/api/v1/anomalies', summary: 'Anomalies newest first: those agents detected (source agent) and those the collector\'s scan found (source collector); docs/analytics.md', params: [{ ...P.from, description: 'default: 24 h before `to`' }, P.to, { name: 'agent', description: 'agent id' }, { ...P.name, required: false }, { name: 'source', description: 'agent or collector', schema: { type: 'string', enum: ['agent', 'collector'] } }, { name: 'limit', description: 'at most this many (default 1,000, at most 10,000)' }], answer: '{from, to, anomalies: [{source, id, agent, name, labels, ts, value, baseline, scale, score, state}]}' },
  { path: '/api/v1/anomalies/series', summary: 'One series\' anomaly score and anomalies over a window, by the agent\'s detector on the stored points (10 s means for telemetry, per probe for latency)', params: [...one, P.from, P.to, { name: 'threshold', description: 'robust σ, default 6' }, { name: 'window', description: 'points in the baseline, default 90' }, { name: 'seasonality', description: 'none, daily (default) or weekly' }, { name: 'transform', description: 'none or log (default for probe latency)' }], answer: '{agent, name, labels, from, to, stepMs, options, threshold, scores: [[ts, score]], anomalies: [{ts, value, baseline, score}]}' },
  { path: '/api/v1/forecast', summary: 'One series forecast past the window\'s end with a prediction interval (exponential smoothing; points are bucket means at `step`)', params: [...one, P.from, P.to, { name: 'horizon', description: 'ms ahead; default a third of the window' }, { ...P.step, description: 'ms between points; default about 300 points over the window' }, { name: 'level', description: 'interval coverage in (0, 1), default 0.8' }], answer: '{agent, name, labels, stepMs, level, kind: ANN|AAN|ANA|AAA|null, transform, fitted, points: [[ts, forecast, lower, upper]], unavailable?: reason}' },
  { path: '/api/v1/capacity', summary: 'The capacity row of one host: GPU memory and KV cache against full, probe spend against the budget by midnight UTC, TTFT in an hour', params: [{ name: 'agent', required: true, description: 'agent id' }, { name: 'lookback', description: 'ms of history fitted, default 6 h' }, { name: 'horizon', description: 'ms ahead a limit is looked for, default 24 h' }], answer: '{agent, now, lookbackMs, horizonMs, level, rows: [{kind, label, labels, unit, current, limit, reach: {expected, earliest, latest} | null, ahead: {at, value, lower, upper} | null, trendPerHour?, model}]}' },
  { path: '/api/v1/energy', summary: 'Joules per output token per host and served model: GPU power integrated over time against the inference server\'s token counter, with a 95 % interval', params: [P.from, P.to, { name: 'agent', description: 'agent id' }, { name: 'batch', description: 'ms per batch of the interval, 10 s to 1 h; default a thirtieth of the window' }], answer: '{from, to, rows: [{agent, provider, model, joulesPerToken, interval: [lo, hi], level, tokensPerSecond, tokens, joules, watts, gpus, coveredMs, shared}]}' },
];
const ANALYTICS_OPERATIONS: readonly Operation[] = ANALYTICS_ROUTES.map((r) => ({ method: 'get', path: r.path, role: 'viewer', summary: r.summary, params: r.params, content: json({ type: 'object', description: r.answer }) }));

const OPERATIONS: readonly Operation[] = [
  { method: 'get', path: '/healthz', role: 'public', summary: 'Liveness: 200 while the process serves', content: json(obj({ ok: bool })) },
  { method: 'get', path: '/readyz', role: 'public', summary: 'Readiness: 200 when the store takes writes and ingest accepts connections, else 503 with the reason', content: json(obj({ ready: bool, reason: str }, ['reason'])) },
  { method: 'get', path: '/metrics', role: 'public', summary: 'Prometheus text exposition of sigmascope_collector_* counters', content: { 'text/plain': { schema: str } } },
  { method: 'get', path: '/login', role: 'public', summary: 'The link `sigmascope start` prints: sets the session cookie for a viewer or admin token and redirects to the dashboard (401 for another token)', params: [{ name: 'token', required: true, description: 'a viewer or admin token' }], status: 303, content: {} },
  { method: 'post', path: '/login', role: 'public', summary: 'The dashboard\'s sign-in form: sets the session cookie for a viewer or admin token (401 for another token, 429 after repeated failures)', body: obj({ token: str }), content: json(obj({ name: str, role: { type: 'string', enum: ['viewer', 'admin'] } })) },
  { method: 'post', path: '/logout', role: 'public', summary: 'Clears the session cookie', content: json(obj({ ok: bool })) },
  { method: 'get', path: '/', role: 'public', summary: 'The dashboard page (dist/web/index.html)', content: { 'text/html': { schema: str } } },
  { method: 'get', path: '/assets/{file}', role: 'public', summary: 'The dashboard\'s scripts, styles and source maps (content-hashed names)', content: { 'text/javascript': { schema: str }, 'text/css': { schema: str } } },
  { method: 'get', path: '/api/v1/openapi.json', role: 'viewer', summary: 'This document', content: json({ type: 'object', description: 'OpenAPI 3.1' }) },
  { method: 'get', path: '/api/v1/session', role: 'viewer', summary: 'Who the caller is, so a page offers only what the role allows', content: json(obj({ name: nullable(str), role: nullable({ type: 'string', enum: ['viewer', 'admin'] }) })) },
  { method: 'get', path: '/api/v1/agents', role: 'viewer', summary: 'Agents with stored samples, last seq, connection and backlog', content: json(obj({ agents: arr(ref('Agent')) })) },
  { method: 'get', path: '/api/v1/series', role: 'viewer', summary: 'Series over a range: raw points when few, else step averages (docs/api.md)', params: [...series, P.agent, P.from, P.to, P.step, { name: 'limit', description: 'points per series (the newest kept)' }], content: json(obj({ resolution: { type: 'string', enum: ['raw', 'step'] }, stepMs: int, aggregation: str, from: int, to: int, series: arr(ref('Series')) }, ['stepMs', 'aggregation'])) },
  { method: 'get', path: '/api/v1/stats', role: 'viewer', summary: 'Ingest and store counters, and per remote-write or OTLP endpoint the samples sent and dropped, retries, pending records and lag', content: json(obj({ samples: obj({ stored: int, storedSinceStart: int, duplicatesSuppressed: int, quarantinedSinceStart: int, refusedSinceStart: int }), series: obj({ stored: int, maxPerAgent: int, maxTotal: int, refusedSinceStart: int }), frames: obj({ stored: int, duplicates: int, rejected: { type: 'object', additionalProperties: int }, commits: int, commitFailures: int }), store: obj({ writable: bool, refusing: nullable(str) }), auth: obj({ refused: { type: 'object', additionalProperties: int, description: 'refusals by reason' } }), connections: obj({ open: int, total: int, revoked: int, agentsConnected: int }), live: obj({ pages: int, framesPublished: int }), export: arr(obj({ protocol: str, target: str, samplesSent: int, samplesDropped: int, droppedByReason: { type: 'object', additionalProperties: int }, retries: int, unreadableRecords: int, pendingRecords: int, lagSeconds: nullable(num), lastError: nullable(str), lastSuccessAt: nullable(int) })) })) },
  { method: 'get', path: '/api/v1/violations', role: 'viewer', summary: 'SPC violations, newest first', params: [P.from, P.to, P.agent, { name: 'state', description: 'open, acknowledged or resolved' }], content: json(obj({ violations: arr(ref('Violation')) })) },
  { method: 'post', path: '/api/v1/violations/{id}', role: 'admin', summary: 'Acknowledge, resolve or reopen a violation', params: [{ name: 'id', required: true, description: 'the violation id' }], body: obj({ state: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] } }), content: json(ref('Violation')) },
  { method: 'get', path: '/api/v1/events', role: 'viewer', summary: 'Agent events newest first: probe failures (error.type, HTTP status), lifecycle, SPC violations', params: [P.from, P.to, P.agent, { name: 'kind', description: 'probe, lifecycle or spc' }, { name: 'limit', description: 'at most this many (default 1,000, at most 10,000)' }], content: json(obj({ events: arr(obj({ id: int, agent: str, kind: { type: 'string', enum: ['probe', 'lifecycle', 'spc'] }, ts: int })) })) },
  { method: 'get', path: '/api/v1/quarantine', role: 'viewer', summary: 'Samples acknowledged but set apart because they were stamped too far in the future, newest arrival first', params: [P.agent, { name: 'limit', description: 'at most this many (default 1,000, at most 10,000)' }], content: json(obj({ samples: arr(obj({ agent: str, receivedAt: int, ts: int, name: str, labels, value: num })) })) },
  { method: 'get', path: '/api/v1/live', role: 'viewer', summary: 'Server-Sent Events: `event: tick`, `data: LiveFrame` (protocol/src/live.ts) about every 250 ms while points arrive', content: { 'text/event-stream': { schema: str } } },
  {
    method: 'get', path: '/api/v1/spc', role: 'viewer', summary: 'The control chart of one series (protocol/src/spc): failed probes left out, counters on their rates, the subgroup still filling left out, limits back in the data\'s units for log charts, the MR/R/S chart beside it (docs/spc.md)',
    params: [{ name: 'series', description: 'the series key `name{label="v",…}` (or name= with labels)' }, { ...P.name, required: false }, P.label, P.agent, P.from, P.to, { name: 'chart', description: 'individuals, xbar-r or xbar-s' }, { name: 'subgroup', description: '2..25' }, { name: 'phase1', description: 'baseline points' }, { name: 'rules', description: 'nelson, we or a list' }, { name: 'transform', description: 'none or log' }, { name: 'center', description: 'given centre (chart units)' }, { name: 'sigma', description: 'given process σ (chart units)' }, { name: 'lsl', description: 'spec limit' }, { name: 'usl', description: 'spec limit' }, { name: 'target', description: 'spec target' }],
    content: json(ref('SpcChart')),
  },
  { method: 'post', path: '/api/v1/spc/baselines', role: 'admin', summary: 'Re-baseline one series\' control chart from a time on (default now), after a deploy, a new model or batch size; recorded in the audit trail as spc.rebaseline. The chart takes its limits from the points after the latest baseline', body: obj({ agent: str, series: { type: 'string', description: 'a series key; or give name and labels' }, name: str, labels, from: int }, ['series', 'name', 'labels', 'from']), content: json(obj({ id: int, agent: str, series: str, from: int, at: int, by: str })) },
  { method: 'get', path: '/api/v1/query/range', role: 'viewer', summary: 'Series over a range; raw points when few, else one value per step from the coarsest fitting tier (automatic step unless `step`)', params: [...series, P.from, P.to, P.step, P.agg, { name: 'limit', description: 'points per series (newest kept), default 1000, at most 20000' }, P.format], content: json(obj({ name: str, from: int, to: int, stepMs: nullable(int), resolution: { type: 'string', enum: ['raw', '10s', '1m', '5m', '1h'] }, aggregation: str, truncated: bool, series: arr(obj({ agent: str, labels, points: pointPairs })) })) },
  { method: 'get', path: '/api/v1/query/last', role: 'viewer', summary: 'Last value of every matching series (the fleet now)', params: [...series, P.format], content: json(obj({ truncated: bool, series: arr(obj({ agent: str, name: str, labels, ts: int, value: num })) })) },
  { method: 'get', path: '/api/v1/query/percentiles', role: 'viewer', summary: 'Percentiles over a window grouped by labels; within 1 % rank error', params: [...series, P.from, P.to, P.by, P.q, P.format], content: json(obj({ name: str, from: int, to: int, by: arr(str), groups: arr(obj({ group: labels, series: int, count: int, min: num, max: num, quantiles: { type: 'object', additionalProperties: num } })) })) },
  { method: 'get', path: '/api/v1/query/topk', role: 'viewer', summary: 'Top k groups (default: agents) by an aggregation over a window', params: [...series, P.from, P.to, { ...P.by, description: 'group keys, default agent' }, P.agg, { name: 'k', description: '1..1000, default 10' }, { name: 'order', description: 'desc (default) or asc' }, P.format], content: json(obj({ rows: arr(obj({ rank: int, group: labels, value: num, series: int })) })) },
  { method: 'get', path: '/api/v1/query/aggregate', role: 'viewer', summary: 'Group-by aggregation (avg/min/max/sum/count), per step or over the whole window', params: [...series, P.from, P.to, P.by, P.agg, P.step, P.format], content: json(obj({ groups: arr(obj({ group: labels, series: int, points: pointPairs })) })) },
  { method: 'get', path: '/api/v1/query/rate', role: 'viewer', summary: 'Per-second rate of a counter per step (resets handled); at most 24 h', params: [...series, P.from, P.to, P.step, P.format], content: json(obj({ stepMs: int, unit: str, series: arr(obj({ agent: str, labels, points: pointPairs })) })) },
  { method: 'get', path: '/api/v1/query/compare', role: 'viewer', summary: 'Compare two windows per group: count, mean, p50, p95 and their change, and the statistics of `bench compare` on the raw values (Mann–Whitney U, Welch t, Hodges–Lehmann, Cliff delta, Holm-adjusted p, verdict)', params: [...series, P.by, { name: 'before_from', description: 'ms' }, { name: 'before_to', description: 'ms; default: just before after_from' }, { name: 'after_from', description: 'ms; default: an hour before after_to' }, { name: 'after_to', description: 'ms; default now' }, { name: 'threshold', description: 'practical change of the median for a verdict, default 0.05' }, { name: 'alpha', description: 'significance after Holm, default 0.05' }, P.format], content: json(obj({ before: obj({ from: int, to: int }), after: obj({ from: int, to: int }), threshold: num, alpha: num, groups: arr(obj({ group: labels, before: { type: 'object' }, after: { type: 'object' }, change: { type: 'object' }, statistics: { type: 'object', description: 'a, b, change, hodges_lehmann, mann_whitney, welch, cliffs_delta, p_adjusted, verdict, warnings (as bench compare)' } })) })) },
  { method: 'get', path: '/api/v1/query/violations', role: 'viewer', summary: 'SPC violations by series and time bucket', params: [{ ...P.name, required: false }, P.agent, { name: 'state', description: 'open, acknowledged or resolved' }, { ...P.from, description: 'default: 24 h before `to`' }, P.to, { name: 'bucket', description: 'bucket width in ms, default 1 h' }, P.format], content: json(obj({ bucketMs: int, series: arr(obj({ agent: str, name: str, labels, total: int, open: int, lastTs: int, byRule: { type: 'object', additionalProperties: int }, buckets: pointPairs })) })) },
  { method: 'get', path: '/api/v1/query/health', role: 'viewer', summary: 'Agents and their health (ok, stale, skewed, disconnected)', params: [P.format], content: json(obj({ agents: arr({ allOf: [ref('Agent'), obj({ connected: bool, lastSeenAgoMs: nullable(int), state: { type: 'string', enum: ['ok', 'stale', 'skewed', 'disconnected'] } })] }) })) },
  { method: 'get', path: '/api/v1/query/metrics', role: 'viewer', summary: 'Metric names with at least one series', content: json(obj({ names: arr(str) })) },
  { method: 'get', path: '/api/v1/providers', role: 'viewer', summary: 'Per agent × provider × model: probes, errors, p50/p95/p99 of time to first chunk and duration (seconds)', params: [P.from, P.to, P.format], content: json(obj({ rows: arr(obj({ agent: str, provider: str, model: str, probes: int, errors: int, ttft: obj({ p50: nullable(num), p95: nullable(num), p99: nullable(num) }), duration: obj({ p50: nullable(num), p95: nullable(num), p99: nullable(num) }), tokensPerSecond: nullable(num), costUsd: nullable(num) })) })) },
];

const ERROR = { description: 'a parameter was refused; the message names it', content: json(ref('Error')) };

let cached: Record<string, unknown> | null = null;

/** `/api/v1/violations/:id` (hono) → `/api/v1/violations/{id}`; `/assets/*` → `/assets/{file}` (OpenAPI). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_]\w*)/g, '{$1}').replace(/\/\*$/, '/{file}');
}

/** The document; the same object on every call (treat it as read-only). */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of [...OPERATIONS, ...ALERT_OPERATIONS, ...RUN_OPERATIONS, ...INCIDENT_OPERATIONS, ...ANALYTICS_OPERATIONS]) {
    const inPath = new Set([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      'x-sigmascope-role': op.role,
      ...(op.role === 'public' ? { security: [] } : {}),
      parameters: (op.params ?? []).map((p) => ({ name: p.name, in: inPath.has(p.name) ? 'path' : 'query', required: inPath.has(p.name) || (p.required ?? false), description: p.description, schema: p.schema ?? { type: 'string' } })),
      ...(op.body ? { requestBody: { required: true, content: json(op.body) } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: op.summary, content: { ...op.content, ...(op.params?.includes(P.format) ? { 'text/csv': { schema: str } } : {}) } },
        ...(op.role === 'public' && op.path !== '/login' ? {} : { '400': ERROR, '401': { description: 'no or bad token', content: json(ref('Error')) } }),
        ...(op.role === 'admin' ? { '403': { description: 'a viewer token: this needs admin', content: json(ref('Error')) } } : {}),
        ...(inPath.size > 0 && op.role !== 'public' ? { '404': { description: 'no such ' + op.path.split('/').at(-2), content: json(ref('Error')) } } : {}),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Sigmascope collector API', version: '1', description: 'Times are ms since the epoch; values in OpenTelemetry units. Authenticate with `Authorization: Bearer TOKEN` (viewer or admin) or the session cookie /login sets. WebSocket /ingest (agents) is described in docs/protocol.md.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'sigmascope_session' } }, schemas: { ...SCHEMAS, ...ALERT_SCHEMAS, ...INCIDENT_SCHEMAS } },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
  return cached;
}
