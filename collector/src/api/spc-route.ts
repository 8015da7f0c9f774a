/**
 * `GET /api/v1/spc`: one series' control chart over a window, computed by the same SPC code the
 * agent and `sigmascope spc check` use (protocol/src/spc). The series is named either by
 * `series=KEY` (its canonical key, `name{label="v",…}`) or by `name=` plus label parameters, and
 * by `agent=`. The answer is spcChart's result, with each point's timestamp.
 *
 * What is charted is a measurement of the process, in the user's units:
 *   - a failed probe is not a latency: series with `error.type` are left out unless asked for,
 *     so a provider that also failed never makes its latency chart ambiguous (400);
 *   - a counter (`system.network.io`, …) is charted on its per-second rate, never its total;
 *   - a subgroup still filling (the last one of a live series) is left out, counted in `dropped`;
 *   - the chart type, transform and rules default to what the agent's watch uses for the metric
 *     (series-defaults.ts), and `center`/`sigma` take given limits, so a violation opens on the
 *     chart that raised it.
 */
import type { Context, Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { spcChart } from '@sigmascope/protocol/spc/chart';
import type { SpcChartOptions } from '@sigmascope/protocol/spc/chart';
import { parseRuleList } from '@sigmascope/protocol/spc/rules';
import { chartDefaultsFor } from '@sigmascope/protocol/spc/series-defaults';
import { METRIC_NAME_PATTERN, seriesKey } from '@sigmascope/protocol/series';
import type { AuditSink } from '../audit/audit-entry.ts';
import type { SpcBaseline, SpcBaselineRows } from '../store/rows/spc-baseline-rows.ts';
import { counterRates, isCounter } from '@sigmascope/protocol/counters';
import { Label } from '@sigmascope/protocol/metrics';
import type { Store } from '../store/store.ts';
import { apiError, badParam } from './api-error.ts';
import { exactLabels, timeWindow } from './params.ts';

const RESERVED = new Set(['series', 'name', 'agent', 'from', 'to', 'chart', 'subgroup', 'phase1', 'rules', 'transform', 'lsl', 'usl', 'target', 'center', 'sigma']);
/** Series fetched to tell one match from several once failed-probe series are set aside. */
const CANDIDATES = 64;
const MAX_POINTS = 20_000;

/** Parses `name{a="1",b="2"}` into its name and labels; null when it is not a series key. */
export function parseSeriesKey(key: string): { name: string; labels: Record<string, string> } | null {
  const m = /^([^{}]+)(?:\{(.*)\})?$/.exec(key);
  if (!m || !METRIC_NAME_PATTERN.test(m[1] as string)) return null;
  const labels: Record<string, string> = {};
  const body = m[2] ?? '';
  const re = /([a-z][a-z0-9_.]*)=("(?:[^"\\]|\\.)*")(?:,|$)/gy;
  let consumed = 0;
  for (let x = re.exec(body); x !== null; x = re.exec(body)) {
    labels[x[1] as string] = JSON.parse(x[2] as string) as string;
    consumed = re.lastIndex;
  }
  return consumed === body.length ? { name: m[1] as string, labels } : null;
}

function num(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw badParam(name, raw, 'a number');
  return n;
}

/** What the SPC routes need beyond the store: the re-baselines, the audit trail, and who is asking. */
export interface SpcRouteDeps {
  readonly baselines: SpcBaselineRows;
  readonly audit: AuditSink;
  /** The name of the token behind a request (its actor in the audit trail). */
  readonly actor: (c: Context) => string;
  /** Told of each new re-baseline, so the agent's own watch follows (collector/src/sync/agent-sync.ts). */
  readonly onRebaseline?: (b: SpcBaseline) => void;
}

/**
 * GET /api/v1/spc (viewer) and POST /api/v1/spc/baselines (admin: a new baseline of one series
 * from a time on, recorded in the audit trail as `spc.rebaseline`). The collector's chart of a
 * re-baselined series starts at its latest baseline and takes its limits from the points after it.
 * The agent's own watch follows: at once over its link, or at its next connect (a `sync` frame,
 * protocol 2); its status page can also re-baseline it alone (POST /api/spc/rebaseline there).
 */
export function registerSpcRoute(app: Hono<{ Bindings: HttpBindings }>, store: Store, deps: SpcRouteDeps): void {
  app.post('/api/v1/spc/baselines', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { agent?: unknown; series?: unknown; name?: unknown; labels?: unknown; from?: unknown } | null;
    if (body === null || typeof body.agent !== 'string' || body.agent === '') throw apiError(400, 'bad_body', 'the body must be JSON: {"agent", "series": KEY | "name" and "labels", "from"?: ms}');
    let target: { name: string; labels: Record<string, string> } | null = null;
    if (typeof body.series === 'string') target = parseSeriesKey(body.series);
    else if (typeof body.name === 'string' && METRIC_NAME_PATTERN.test(body.name) && (body.labels === undefined || (typeof body.labels === 'object' && body.labels !== null && Object.values(body.labels).every((v) => typeof v === 'string')))) target = { name: body.name, labels: (body.labels ?? {}) as Record<string, string> };
    if (target === null) throw badParam('series', typeof body.series === 'string' ? body.series : JSON.stringify(body.name ?? null), 'a series key, or a metric name with string labels');
    const now = Date.now();
    const from = body.from === undefined ? now : typeof body.from === 'number' && Number.isSafeInteger(body.from) && body.from >= 0 && body.from <= now + 60_000 ? body.from : null;
    if (from === null) throw badParam('from', String(body.from), 'milliseconds since the epoch, not in the future');
    const key = seriesKey(target.name, target.labels);
    const actor = deps.actor(c);
    const b = deps.baselines.add(body.agent, key, from, actor, now);
    deps.audit.record({ at: now, actor, action: 'spc.rebaseline', target: `${body.agent} ${key}`, detail: { from } });
    deps.onRebaseline?.(b);
    return c.json({ id: b.id, agent: b.agent, series: b.series, from: b.fromTs, at: b.createdAt, by: b.actor });
  });

  app.get('/api/v1/spc', (c) => {
    const q = c.req.query();
    let target: { name: string; labels: Record<string, string> } | null;
    if (q.series !== undefined) {
      target = parseSeriesKey(q.series);
      if (target === null) throw badParam('series', q.series, 'a series key such as hw.gpu.temperature{hw.id="GPU-…"}');
    } else {
      if (q.name === undefined || !METRIC_NAME_PATTERN.test(q.name)) throw badParam('name', q.name, 'a metric name (or give series=KEY)');
      target = { name: q.name, labels: exactLabels(q, RESERVED) };
    }
    const window = timeWindow(q, 3_600_000);
    const to = window.to;
    let from = window.from;
    const candidates = store.series({ name: target.name, labels: target.labels, ...(q.agent !== undefined ? { agent: q.agent } : {}), from, to, maxPoints: MAX_POINTS, maxSeries: CANDIDATES });
    const found = target.labels[Label.errorType] === undefined ? candidates.filter((s) => s.labels[Label.errorType] === undefined) : candidates;
    if (found.length === 0) throw apiError(404, 'not_found', `no series ${target.name} with those labels${q.agent ? ` on agent ${q.agent}` : ''} between ${from} and ${to}${candidates.length > 0 ? ' (only failed operations, with error.type: those are not charted unless error.type= is given)' : ''}`);
    if (found.length > 1) throw apiError(400, 'ambiguous', `several series match (e.g. ${found.slice(0, 3).map((s) => `agent ${s.agent} ${JSON.stringify(s.labels)}`).join(', ')}); add agent= or more labels`);
    const series = found[0] as (typeof found)[number];
    // A re-baselined series is charted from its latest baseline on, unless given limits say otherwise.
    const baseline = q.center === undefined ? deps.baselines.latest(series.agent, seriesKey(series.name, series.labels)) : null;
    const since = baseline !== null && baseline.fromTs > from ? baseline.fromTs : null;
    if (since !== null) from = since;
    const counter = isCounter(series.name);
    const raw = since === null ? series.points : series.points.filter((p) => p[0] >= since);
    const points: readonly (readonly [number, number])[] = counter ? counterRates(raw) : raw;
    if (points.length === 0) throw apiError(404, 'not_found', `${series.name} is a counter and has fewer than two samples between ${from} and ${to}: no rate to chart yet`);
    const options: { -readonly [K in keyof SpcChartOptions]: SpcChartOptions[K] } = { ts: points.map((p) => p[0]), incomplete: 'drop' };
    // Unless told otherwise: what the agent's watch does for this metric (docs/spc.md), falling
    // back to individuals while there are too few points for two subgroups.
    const defaults = chartDefaultsFor(series.name);
    if (q.chart === undefined && q.subgroup === undefined && points.length >= 2 * defaults.subgroup) {
      options.chart = defaults.chart;
      if (defaults.subgroup > 1) options.subgroup = defaults.subgroup;
    }
    if (q.transform === undefined && defaults.transform === 'log' && points.every((p) => p[1] > 0)) options.transform = 'log';
    if (q.rules === undefined) options.rules = defaults.rules;
    if (q.chart !== undefined) {
      if (q.chart !== 'individuals' && q.chart !== 'xbar-r' && q.chart !== 'xbar-s') throw badParam('chart', q.chart, 'individuals, xbar-r or xbar-s');
      options.chart = q.chart;
    }
    const subgroup = num(q.subgroup, 'subgroup');
    if (subgroup !== undefined) options.subgroup = subgroup;
    const phase1 = num(q.phase1, 'phase1');
    if (phase1 !== undefined) options.phase1 = phase1;
    if (q.rules !== undefined) {
      const rules = parseRuleList(q.rules);
      if (!rules.ok) throw badParam('rules', q.rules, rules.error);
      options.rules = rules.rules;
    }
    if (q.transform !== undefined) {
      if (q.transform !== 'none' && q.transform !== 'log') throw badParam('transform', q.transform, 'none or log');
      options.transform = q.transform;
    }
    const center = num(q.center, 'center');
    if (center !== undefined) options.center = center;
    const sigma = num(q.sigma, 'sigma');
    if (sigma !== undefined) options.sigma = sigma;
    const lsl = num(q.lsl, 'lsl');
    const usl = num(q.usl, 'usl');
    const tgt = num(q.target, 'target');
    if (lsl !== undefined || usl !== undefined) options.spec = { ...(lsl !== undefined ? { lsl } : {}), ...(usl !== undefined ? { usl } : {}), ...(tgt !== undefined ? { target: tgt } : {}) };
    const result = spcChart(points.map((p) => p[1]), options);
    if (!result.ok) throw apiError(400, 'bad_request', `${result.where}: ${result.error}`);
    return c.json({ agent: series.agent, name: series.name, labels: series.labels, ...(counter ? { of: 'rate', unit: 'per second' } : {}), ...(baseline !== null ? { baseline: { from: baseline.fromTs, at: baseline.createdAt, by: baseline.actor } } : {}), ...result.chart });
  });
}
