/**
 * The query API under /api/v1/query (and /api/v1/providers, /api/v1/openapi.json): parameters are
 * validated here (400 naming the parameter), answers are bounded (query-limits.ts), and every
 * answer is JSON or, with `format=csv`, CSV. The query logic itself lives in ../query/.
 */
import type { Context, Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { LABEL_NAME_PATTERN, METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { agentHealth } from '../query/agent-health.ts';
import { counterRate } from '../query/counter-rate.ts';
import { toCsv } from '../query/csv.ts';
import type { CsvValue } from '../query/csv.ts';
import { groupAggregate } from '../query/group-aggregate.ts';
import { seriesMatcher } from '../query/label-match.ts';
import type { LabelMatcher } from '../query/label-match.ts';
import { quantileName } from '../query/percentiles.ts';
import type { QueryBackend, SeriesSelector } from '../query/query-backend.ts';
import { autoStep, MAX_POINTS_PER_SERIES, MAX_SERIES, MAX_TOTAL_POINTS } from '../query/query-limits.ts';
import type { BucketAgg } from '../query/series-buckets.ts';
import { violationsBySeries } from '../query/violations-by-series.ts';
import { compareWindows } from '../query/window-compare.ts';
import { windowStatistics } from '../query/window-statistics.ts';
import type { SeriesRef } from '../store/store.ts';
import type { ApiDeps } from './api-app.ts';
import { badParam } from './api-error.ts';
import { intParam, timeParam, timeWindow } from './params.ts';
import { openApiDocument } from './openapi.ts';

const RESERVED = new Set(['name', 'from', 'to', 'step', 'agg', 'by', 'q', 'k', 'order', 'format', 'limit', 'before_from', 'before_to', 'after_from', 'after_to', 'bucket', 'state', 'threshold', 'alpha']);
const AGGS: readonly BucketAgg[] = ['avg', 'min', 'max', 'sum', 'count'];
const HOUR = 3_600_000;

type Params = Record<string, string>;
type Row = readonly CsvValue[];

/**
 * Registers the query routes on the collector's app (after its auth middleware). Metrics, range,
 * last, percentiles, top-k and providers read through `query` (the configured backend); the
 * others read the local store.
 */
export function registerQueryRoutes(app: Hono<{ Bindings: HttpBindings }>, d: ApiDeps, query: QueryBackend): void {
  const answer = (c: Context, p: Params, body: unknown, columns: readonly string[], rows: () => Row[]): Response => {
    if (p.format === 'csv') return c.body(toCsv(columns, rows()), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="sigmascope.csv"' });
    if (p.format !== undefined && p.format !== 'json') throw badParam('format', p.format, 'json or csv');
    return c.json(body as object);
  };

  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument()));

  app.get('/api/v1/query/metrics', async (c) => c.json({ names: await query.metricNames() }));

  app.get('/api/v1/query/range', async (c) => {
    const p = c.req.query();
    const sel = selectorOf(p);
    const name = sel.name;
    const { from, to } = timeWindow(p, HOUR);
    const agg = aggParam(p, 'avg');
    const limit = p.limit === undefined ? 1_000 : intParam(p.limit, 'limit', 1, MAX_POINTS_PER_SERIES);
    const stepMs = p.step === undefined ? autoStep(from, to, limit) : intParam(p.step, 'step', 1_000, 366 * 86_400_000);
    const perSeries = stepMs === undefined ? limit : Math.ceil((to - from + 1) / stepMs);
    if (perSeries > MAX_POINTS_PER_SERIES || perSeries * MAX_SERIES > MAX_TOTAL_POINTS) {
      // The bound holds for the series that match, so count them first (cheap on the local store).
      const matching = query.name === 'local' ? selectSeries(d, p).series.length : MAX_SERIES;
      if (perSeries > MAX_POINTS_PER_SERIES || perSeries * matching > MAX_TOTAL_POINTS) throw badParam('step', p.step, `too fine for this range and ${matching} series: at most ${MAX_POINTS_PER_SERIES} points per series and ${MAX_TOTAL_POINTS} in all`);
    }
    const r = await query.range(sel, from, to, stepMs, agg, limit);
    const out = r.series;
    return answer(c, p, { name, from, to, stepMs: stepMs ?? null, resolution: stepMs === undefined ? 'raw' : r.resolution, aggregation: stepMs === undefined ? null : agg, truncated: r.truncated, series: out }, ['agent', 'name', 'labels', 'ts', 'value'], () => out.flatMap((s) => s.points.map((pt) => [s.agent, name, JSON.stringify(s.labels), pt[0], pt[1]])));
  });

  app.get('/api/v1/query/last', async (c) => {
    const p = c.req.query();
    const { rows, truncated } = await query.last(selectorOf(p));
    return answer(c, p, { truncated, series: rows }, ['agent', 'name', 'labels', 'ts', 'value'], () => rows.map((r) => [r.agent, r.name, JSON.stringify(r.labels), r.ts, r.value]));
  });

  app.get('/api/v1/query/percentiles', async (c) => {
    const p = c.req.query();
    const sel = selectorOf(p);
    const name = sel.name;
    const { from, to } = timeWindow(p, HOUR);
    const by = byParam(p, []);
    const qs = qParam(p);
    const { groups: rows, truncated } = await query.percentiles(sel, by, qs, from, to + 1);
    const names = qs.map(quantileName);
    return answer(c, p, { name, from, to, by, truncated, groups: rows }, [...by, 'series', 'count', 'min', 'max', ...names], () => rows.map((r) => [...by.map((k) => r.group[k]), r.series, r.count, r.min, r.max, ...names.map((n) => r.quantiles[n])]));
  });

  app.get('/api/v1/query/topk', async (c) => {
    const p = c.req.query();
    const sel = selectorOf(p);
    const name = sel.name;
    const { from, to } = timeWindow(p, HOUR);
    const by = byParam(p, ['agent']);
    const k = p.k === undefined ? 10 : intParam(p.k, 'k', 1, 1_000);
    const order = p.order ?? 'desc';
    if (order !== 'desc' && order !== 'asc') throw badParam('order', order, 'desc or asc');
    const agg = aggParam(p, 'avg');
    const { rows, truncated } = await query.topK(sel, by, agg, k, order, from, to);
    return answer(c, p, { name, from, to, by, agg, order, truncated, rows }, ['rank', ...by, 'value', 'series'], () => rows.map((r) => [r.rank, ...by.map((b) => r.group[b]), r.value, r.series]));
  });

  app.get('/api/v1/query/aggregate', (c) => {
    const p = c.req.query();
    const { name, series, truncated } = selectSeries(d, p);
    const { from, to } = timeWindow(p, HOUR);
    const by = byParam(p, []);
    const agg = aggParam(p, 'avg');
    const stepMs = p.step === undefined ? undefined : intParam(p.step, 'step', 10_000, 366 * 86_400_000);
    if (stepMs !== undefined && Math.ceil((to - from + 1) / stepMs) > MAX_POINTS_PER_SERIES) throw badParam('step', p.step, `at most ${MAX_POINTS_PER_SERIES} buckets`);
    const groups = groupAggregate(d.store, series, by, agg, from, to, stepMs, Date.now());
    return answer(c, p, { name, from, to, by, agg, stepMs: stepMs ?? null, truncated, groups }, [...by, 'series', 'ts', 'value'], () => groups.flatMap((g) => g.points.map((pt) => [...by.map((k) => g.group[k]), g.series, pt[0], pt[1]])));
  });

  app.get('/api/v1/query/rate', (c) => {
    const p = c.req.query();
    const { name, series, truncated } = selectSeries(d, p);
    const { from, to } = timeWindow(p, HOUR);
    const stepMs = p.step === undefined ? (autoStep(from, to, 1_000) ?? 10_000) : intParam(p.step, 'step', 1_000, 366 * 86_400_000);
    if (to - from > 24 * HOUR) throw badParam('from', p.from, 'rate reads raw points: at most 24 h per query');
    if (Math.ceil((to - from + 1) / stepMs) > MAX_POINTS_PER_SERIES) throw badParam('step', p.step, `at most ${MAX_POINTS_PER_SERIES} buckets`);
    const out = series.map((s) => ({ agent: s.agent, labels: s.labels, points: counterRate(d.store.raw(s.id, from, to), stepMs) }));
    return answer(c, p, { name, from, to, stepMs, unit: 'per second', truncated, series: out }, ['agent', 'name', 'labels', 'ts', 'rate'], () => out.flatMap((s) => s.points.map((pt) => [s.agent, name, JSON.stringify(s.labels), pt[0], pt[1]])));
  });

  app.get('/api/v1/query/compare', (c) => {
    const p = c.req.query();
    const { name, series, truncated } = selectSeries(d, p);
    const by = byParam(p, []);
    const now = Date.now();
    const afterTo = timeParam(p.after_to, 'after_to', now);
    const afterFrom = timeParam(p.after_from, 'after_from', afterTo - HOUR);
    const beforeTo = timeParam(p.before_to, 'before_to', afterFrom - 1);
    const beforeFrom = timeParam(p.before_from, 'before_from', beforeTo - (afterTo - afterFrom));
    if (afterFrom > afterTo) throw badParam('after_from', p.after_from, 'must not be after after_to');
    if (beforeFrom > beforeTo) throw badParam('before_from', p.before_from, 'must not be after before_to');
    const rows = compareWindows(d.store, series, by, { from: beforeFrom, to: beforeTo }, { from: afterFrom, to: afterTo }, now);
    const threshold = fractionParam(p.threshold, 'threshold', 0.05);
    const alpha = fractionParam(p.alpha, 'alpha', 0.05);
    // The same statistics as `bench compare`, on the windows' raw values (window-statistics.ts).
    const statistics = windowStatistics(d.store, series, by, { from: beforeFrom, to: beforeTo }, { from: afterFrom, to: afterTo }, { threshold, alpha }, now);
    const groups = rows.map((r) => ({ ...r, statistics: statistics.get(JSON.stringify(r.group)) ?? null }));
    const stats = ['count', 'mean', 'p50', 'p95'] as const;
    return answer(c, p, { name, by, before: { from: beforeFrom, to: beforeTo }, after: { from: afterFrom, to: afterTo }, threshold, alpha, truncated, groups }, [...by, ...stats.map((s) => `before_${s}`), ...stats.map((s) => `after_${s}`), 'change_mean', 'change_p50', 'change_p95', 'p_mann_whitney', 'p_adjusted', 'verdict'], () =>
      groups.map((r) => [...by.map((k) => r.group[k]), ...stats.map((s) => r.before[s]), ...stats.map((s) => r.after[s]), r.change.mean, r.change.p50, r.change.p95, r.statistics?.mann_whitney?.p ?? null, r.statistics?.p_adjusted ?? null, r.statistics?.verdict ?? null]),
    );
  });

  app.get('/api/v1/query/violations', (c) => {
    const p = c.req.query();
    const { from, to } = timeWindow(p, 24 * HOUR);
    const bucket = p.bucket === undefined ? HOUR : intParam(p.bucket, 'bucket', 60_000, 30 * 24 * HOUR);
    if (p.name !== undefined && !METRIC_NAME_PATTERN.test(p.name)) throw badParam('name', p.name, 'a metric name');
    if (p.state !== undefined && !['open', 'acknowledged', 'resolved'].includes(p.state)) throw badParam('state', p.state, 'open, acknowledged or resolved');
    const events = d.store.events({ from, to, kind: 'spc', limit: 100_000, ...(p.agent !== undefined ? { agent: p.agent } : {}) }).filter((e) => (p.state === undefined || e.state === p.state) && (p.name === undefined || (e.event as unknown as { name?: string }).name === p.name));
    const rows = violationsBySeries(events, bucket).slice(0, MAX_SERIES);
    return answer(c, p, { from, to, bucketMs: bucket, series: rows }, ['agent', 'name', 'labels', 'bucket', 'count'], () => rows.flatMap((r) => r.buckets.map((b) => [r.agent, r.name, JSON.stringify(r.labels), b[0], b[1]])));
  });

  app.get('/api/v1/query/health', (c) => {
    const p = c.req.query();
    const rows = agentHealth(d.store.agents(), d.connectedAgents(), Date.now());
    return answer(c, p, { agents: rows }, ['id', 'name', 'hostname', 'version', 'state', 'connected', 'lastSeen', 'lastSeenAgoMs', 'clockSkewMs', 'samples', 'lastSeq'], () =>
      rows.map((a) => [a.id, a.name, a.hostname, a.version, a.state, a.connected, a.lastSeen, a.lastSeenAgoMs, a.clockSkewMs, a.samples, a.lastSeq]),
    );
  });

  app.get('/api/v1/providers', async (c) => {
    const p = c.req.query();
    const { from, to } = timeWindow(p, HOUR);
    const rows = await query.providers(from, to + 1);
    return answer(c, p, { from, to, rows }, ['agent', 'provider', 'model', 'probes', 'errors', 'ttft_p50', 'ttft_p95', 'ttft_p99', 'duration_p50', 'duration_p95', 'duration_p99'], () =>
      rows.map((r) => [r.agent, r.provider, r.model, r.probes, r.errors, r.ttft.p50, r.ttft.p95, r.ttft.p99, r.duration.p50, r.duration.p95, r.duration.p99]),
    );
  });
}

function selectSeries(d: ApiDeps, p: Params): { name: string; series: SeriesRef[]; truncated: boolean } {
  const sel = selectorOf(p);
  return { name: sel.name, ...d.store.findSeries(sel.name, seriesMatcher(sel.matchers), sel.limit) };
}

/** The metric and label matchers of a query's parameters (400 naming a bad one). */
function selectorOf(p: Params): SeriesSelector {
  const name = p.name;
  if (name === undefined || !METRIC_NAME_PATTERN.test(name)) throw badParam('name', name, 'a metric name such as system.cpu.utilization');
  const matchers: LabelMatcher[] = [];
  for (const [k, v] of Object.entries(p)) {
    if (RESERVED.has(k)) continue;
    const pattern = k.endsWith('~');
    const label = pattern ? k.slice(0, -1) : k;
    if (label !== 'agent' && !LABEL_NAME_PATTERN.test(label)) throw badParam(k, v, 'not a label name (LABEL=VALUE matches exactly, LABEL~=PATTERN with * and ?)');
    matchers.push({ label, pattern, value: v });
  }
  return { name, matchers, limit: MAX_SERIES };
}


function byParam(p: Params, fallback: string[]): string[] {
  if (p.by === undefined || p.by === '') return fallback;
  const keys = p.by.split(',');
  if (keys.length > 8) throw badParam('by', p.by, 'at most 8 keys');
  for (const k of keys) if (k !== 'agent' && !LABEL_NAME_PATTERN.test(k)) throw badParam('by', p.by, `"${k}" is not a label name (or agent)`);
  return keys;
}

function qParam(p: Params): number[] {
  if (p.q === undefined) return [0.5, 0.9, 0.95, 0.99];
  const qs = p.q.split(',').map((x) => (/^(0(\.\d+)?|1(\.0+)?)$/.test(x) ? Number(x) : Number.NaN));
  if (qs.length > 16 || qs.some((x) => Number.isNaN(x))) throw badParam('q', p.q, 'up to 16 comma-separated quantiles in [0, 1], such as 0.5,0.99');
  return qs;
}

function aggParam(p: Params, fallback: BucketAgg): BucketAgg {
  if (p.agg === undefined) return fallback;
  if (!(AGGS as readonly string[]).includes(p.agg)) throw badParam('agg', p.agg, AGGS.join(', '));
  return p.agg as BucketAgg;
}

/** A number strictly between 0 and 1 (a threshold or alpha), or the default. */
function fractionParam(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!(n > 0 && n < 1)) throw badParam(name, raw, 'a number between 0 and 1');
  return n;
}
