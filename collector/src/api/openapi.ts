/**
 * The OpenAPI 3.1 document of the collector's JSON API, served at GET /api/v1/openapi.json.
 * Built once from the tables below; every query route also answers CSV with `format=csv`.
 */

interface Param {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly schema?: Record<string, unknown>;
}

const ms = { type: 'integer', minimum: 0, description: 'milliseconds since the epoch' };
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
} satisfies Record<string, Param>;

const series = [P.name, P.label];
const one = [{ ...P.name, required: false, description: 'metric name (or give `series`)' }, { name: 'series', description: 'the series key, `name{label="v",…}`, instead of name and labels' }, P.label, { name: 'agent', description: 'agent id (needed when several agents have the series)' }];
const ANALYTICS_ROUTES: readonly { path: string; summary: string; params: readonly Param[]; answer: string }[] = [
  { path: '/api/v1/anomalies', summary: 'Anomalies newest first: those agents detected (source agent) and those the collector\'s scan found (source collector); docs/analytics.md', params: [{ ...P.from, description: 'default: 24 h before `to`' }, P.to, { name: 'agent', description: 'agent id' }, { ...P.name, required: false }, { name: 'source', description: 'agent or collector', schema: { type: 'string', enum: ['agent', 'collector'] } }, { name: 'limit', description: 'at most this many (default 1,000, at most 10,000)' }], answer: '{from, to, anomalies: [{source, id, agent, name, labels, ts, value, baseline, scale, score, state}]}' },
  { path: '/api/v1/anomalies/series', summary: 'One series\' anomaly score and anomalies over a window, by the agent\'s detector on the stored points (10 s means for telemetry, per probe for latency)', params: [...one, P.from, P.to, { name: 'threshold', description: 'robust σ, default 6' }, { name: 'window', description: 'points in the baseline, default 90' }, { name: 'seasonality', description: 'none, daily (default) or weekly' }, { name: 'transform', description: 'none or log (default for probe latency)' }], answer: '{agent, name, labels, from, to, stepMs, options, threshold, scores: [[ts, score]], anomalies: [{ts, value, baseline, score}]}' },
  { path: '/api/v1/forecast', summary: 'One series forecast past the window\'s end with a prediction interval (exponential smoothing; points are bucket means at `step`)', params: [...one, P.from, P.to, { name: 'horizon', description: 'ms ahead; default a third of the window' }, { ...P.step, description: 'ms between points; default about 300 points over the window' }, { name: 'level', description: 'interval coverage in (0, 1), default 0.8' }], answer: '{agent, name, labels, stepMs, level, kind: ANN|AAN|ANA|AAA|null, transform, fitted, points: [[ts, forecast, lower, upper]], unavailable?: reason}' },
  { path: '/api/v1/capacity', summary: 'The capacity row of one host: GPU memory and KV cache against full, probe spend against the budget by midnight UTC, TTFT in an hour', params: [{ name: 'agent', required: true, description: 'agent id' }, { name: 'lookback', description: 'ms of history fitted, default 6 h' }, { name: 'horizon', description: 'ms ahead a limit is looked for, default 24 h' }], answer: '{agent, now, lookbackMs, horizonMs, level, rows: [{kind, label, labels, unit, current, limit, reach: {expected, earliest, latest} | null, ahead: {at, value, lower, upper} | null, trendPerHour?, model}]}' },
  { path: '/api/v1/energy', summary: 'Joules per output token per host and served model: GPU power integrated over time against the inference server\'s token counter, with a 95 % interval', params: [P.from, P.to, { name: 'agent', description: 'agent id' }, { name: 'batch', description: 'ms per batch of the interval, 10 s to 1 h; default a thirtieth of the window' }], answer: '{from, to, rows: [{agent, provider, model, joulesPerToken, interval: [lo, hi], level, tokensPerSecond, tokens, joules, watts, gpus, coveredMs, shared}]}' },
];
const ROUTES: readonly { path: string; summary: string; params: readonly Param[]; answer: string }[] = [
  { path: '/api/v1/query/range', summary: 'Series over a range; raw points when few, else one value per step from the coarsest fitting tier (automatic step unless `step`)', params: [...series, P.from, P.to, P.step, P.agg, { name: 'limit', description: 'points per series (newest kept), default 1000, at most 20000' }, P.format], answer: '{name, from, to, stepMs, resolution: raw|10s|1m|5m|1h, aggregation, truncated, series: [{agent, labels, points: [[ts, value]]}]}' },
  { path: '/api/v1/query/last', summary: 'Last value of every matching series (the fleet now)', params: [...series, P.format], answer: '{truncated, series: [{agent, name, labels, ts, value}]}' },
  { path: '/api/v1/query/percentiles', summary: 'Percentiles over a window grouped by labels; within 1 % rank error', params: [...series, P.from, P.to, P.by, P.q, P.format], answer: '{name, from, to, by, groups: [{group, series, count, min, max, quantiles: {p50, …}}]}' },
  { path: '/api/v1/query/topk', summary: 'Top k groups (default: agents) by an aggregation over a window', params: [...series, P.from, P.to, { ...P.by, description: 'group keys, default agent' }, P.agg, { name: 'k', description: '1..1000, default 10' }, { name: 'order', description: 'desc (default) or asc' }, P.format], answer: '{rows: [{rank, group, value, series}]}' },
  { path: '/api/v1/query/aggregate', summary: 'Group-by aggregation (avg/min/max/sum/count), per step or over the whole window', params: [...series, P.from, P.to, P.by, P.agg, P.step, P.format], answer: '{groups: [{group, series, points: [[ts, value]]}]}' },
  { path: '/api/v1/query/rate', summary: 'Per-second rate of a counter per step (resets handled); at most 24 h', params: [...series, P.from, P.to, P.step, P.format], answer: '{stepMs, unit, series: [{agent, labels, points: [[ts, rate]]}]}' },
  { path: '/api/v1/query/compare', summary: 'Compare two windows per group: count, mean, p50, p95 and their change', params: [...series, P.by, { name: 'before_from', description: 'ms' }, { name: 'before_to', description: 'ms; default: just before after_from' }, { name: 'after_from', description: 'ms; default: an hour before after_to' }, { name: 'after_to', description: 'ms; default now' }, P.format], answer: '{before, after, groups: [{group, before, after, change}]}' },
  { path: '/api/v1/query/violations', summary: 'SPC violations by series and time bucket', params: [{ ...P.name, required: false }, { name: 'agent', description: 'agent id' }, { name: 'state', description: 'open, acknowledged or resolved' }, { ...P.from, description: 'default: 24 h before `to`' }, P.to, { name: 'bucket', description: 'bucket width in ms, default 1 h' }, P.format], answer: '{bucketMs, series: [{agent, name, labels, total, open, lastTs, byRule, buckets: [[ts, count]]}]}' },
  { path: '/api/v1/query/health', summary: 'Agents and their health (ok, stale, skewed, disconnected)', params: [P.format], answer: '{agents: [Agent & {connected, lastSeenAgoMs, state}]}' },
  { path: '/api/v1/query/metrics', summary: 'Metric names with at least one series', params: [], answer: '{names: [string]}' },
  { path: '/api/v1/providers', summary: 'Per agent × provider × model: probes, errors, p50/p95/p99 of time to first chunk and duration (seconds)', params: [P.from, P.to, P.format], answer: '{rows: [{agent, provider, model, probes, errors, ttft, duration}]}' },
  { path: '/api/v1/series', summary: 'Series range (the dashboard\'s original route; see docs/api.md)', params: [...series, P.from, P.to, P.step, { name: 'limit', description: 'points per series' }], answer: '{resolution, series: [{agent, name, labels, points}]}' },
  { path: '/api/v1/agents', summary: 'Agents with stored samples and last seq', params: [], answer: '{agents: [Agent]}' },
  { path: '/api/v1/stats', summary: 'Ingest counters', params: [], answer: '{samples, frames, auth, connections, live}' },
  { path: '/api/v1/quarantine', summary: 'Samples acknowledged but set apart because they were stamped too far in the future, newest arrival first (counts per agent: /api/v1/agents)', params: [{ name: 'agent', description: 'agent id' }, { name: 'limit', description: 'at most this many (default 1,000, at most 10,000)' }], answer: '{samples: [{agent, receivedAt, ts, name, labels, value}]}' },
  { path: '/api/v1/events', summary: 'Agent events newest first: probe failures (error.type, HTTP status), lifecycle, SPC violations', params: [P.from, P.to, { name: 'agent', description: 'agent id' }, { name: 'kind', description: 'probe, lifecycle or spc' }, { name: 'limit', description: 'at most this many (default 1,000, at most 10,000)' }], answer: '{events: [{id, agent, kind, ts, ...}]}' },
  { path: '/api/v1/violations', summary: 'SPC violations, newest first', params: [P.from, P.to, { name: 'agent', description: 'agent id' }, { name: 'state', description: 'open, acknowledged or resolved' }], answer: '{violations: [...]}' },
  ...ANALYTICS_ROUTES,
];

const ERROR = { description: 'a parameter was refused; the message names it', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

let cached: Record<string, unknown> | null = null;

/** The document; the same object on every call (treat it as read-only). */
export function openApiDocument(): Record<string, unknown> {
  cached ??= {
    openapi: '3.1.0',
    info: { title: 'Sigmascope collector API', version: '1', description: 'Times are ms since the epoch; values in OpenTelemetry units. Authenticate with `Authorization: Bearer TOKEN` (viewer or admin).' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } }, required: ['error'] } },
    },
    security: [{ bearer: [] }],
    paths: Object.fromEntries(
      ROUTES.map((r) => [
        r.path,
        {
          get: {
            summary: r.summary,
            parameters: r.params.map((p) => ({ name: p.name, in: 'query', required: p.required ?? false, description: p.description, schema: p.schema ?? { type: 'string' } })),
            responses: {
              '200': { description: r.answer, content: { 'application/json': { schema: { type: 'object' } }, ...(r.params.includes(P.format) ? { 'text/csv': { schema: { type: 'string' } } } : {}) } },
              '400': ERROR,
              '401': { description: 'no or bad token' },
            },
          },
        },
      ]),
    ),
  };
  return cached;
}
