/**
 * `GET /api/v1/spc`: one series' control chart over a window, computed by the same SPC code the
 * agent and `sigmascope spc check` use (protocol/src/spc). The series is named either by
 * `series=KEY` (its canonical key, `name{label="v",…}`) or by `name=` plus label parameters, and
 * by `agent=`. The answer is spcChart's result, with each point's timestamp.
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { spcChart } from '@sigmascope/protocol/spc/chart';
import type { SpcChartOptions } from '@sigmascope/protocol/spc/chart';
import { parseRuleList } from '@sigmascope/protocol/spc/rules';
import { chartDefaultsFor } from '@sigmascope/protocol/spc/series-defaults';
import { METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import type { Store } from '../store/store.ts';
import { apiError, badParam } from './api-error.ts';
import { exactLabels, timeWindow } from './params.ts';

const RESERVED = new Set(['series', 'name', 'agent', 'from', 'to', 'chart', 'subgroup', 'phase1', 'rules', 'transform', 'lsl', 'usl', 'target']);
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

export function registerSpcRoute(app: Hono<{ Bindings: HttpBindings }>, store: Store): void {
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
    const { from, to } = timeWindow(q, 3_600_000);
    const found = store.series({ name: target.name, labels: target.labels, ...(q.agent !== undefined ? { agent: q.agent } : {}), from, to, maxPoints: MAX_POINTS, maxSeries: 2 });
    if (found.length === 0) throw apiError(404, 'not_found', `no series ${target.name} with those labels${q.agent ? ` on agent ${q.agent}` : ''} between ${from} and ${to}`);
    if (found.length > 1) throw apiError(400, 'ambiguous', `several series match (e.g. agents ${found.map((s) => s.agent).join(', ')}); add agent= or more labels`);
    const series = found[0] as (typeof found)[number];
    const options: { -readonly [K in keyof SpcChartOptions]: SpcChartOptions[K] } = { ts: series.points.map((p) => p[0]) };
    // Unless told otherwise: telemetry as X̄-S of 20, probe latency per probe on a log scale (docs/spc.md),
    // falling back to individuals while there are too few points for two subgroups.
    const defaults = chartDefaultsFor(series.name);
    if (q.chart === undefined && q.subgroup === undefined && series.points.length >= 2 * defaults.subgroup) {
      options.chart = defaults.chart;
      if (defaults.subgroup > 1) options.subgroup = defaults.subgroup;
    }
    if (q.transform === undefined && defaults.transform === 'log' && series.points.every((p) => p[1] > 0)) options.transform = 'log';
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
    const lsl = num(q.lsl, 'lsl');
    const usl = num(q.usl, 'usl');
    const tgt = num(q.target, 'target');
    if (lsl !== undefined || usl !== undefined) options.spec = { ...(lsl !== undefined ? { lsl } : {}), ...(usl !== undefined ? { usl } : {}), ...(tgt !== undefined ? { target: tgt } : {}) };
    const result = spcChart(series.points.map((p) => p[1]), options);
    if (!result.ok) throw apiError(400, 'bad_request', `${result.where}: ${result.error}`);
    return c.json({ agent: series.agent, name: series.name, labels: series.labels, ...result.chart });
  });
}
