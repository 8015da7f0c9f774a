/**
 * `GET /api/v1/anomalies`: anomalies as events, newest first: those agents detected (SPC events
 * of rule `anomaly`, `source: "agent"`) and those the collector's scan found (`source:
 * "collector"`). `GET /api/v1/anomalies/series`: one series' anomaly score and anomalies over a
 * window, computed on its stored points by the same detector the agent runs, with the history
 * before the window it needs to warm up (its baseline, and two days for the hour-of-day profile),
 * as `/api/v1/spc` does for control charts.
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { anomalyOptions, LIVE_ANOMALY_OPTIONS } from '@sigmascope/protocol/anomaly/anomaly-options';
import { isAnomalyEvent } from '@sigmascope/protocol/anomaly/anomaly-event';
import { AnomalyDetector } from '@sigmascope/protocol/anomaly/anomaly-detector';
import { METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { chartDefaultsFor } from '@sigmascope/protocol/spc/series-defaults';
import type { SpcViolationEvent } from '@sigmascope/protocol/events';
import { badParam } from '../api/api-error.ts';
import { intParam, timeWindow } from '../api/params.ts';
import { oneSeries, seriesTarget } from '../api/series-target.ts';
import type { AnomalyRows } from '../store/rows/anomaly-rows.ts';
import type { Store } from '../store/store.ts';
import { COUNTER_METRICS } from './anomaly-scan.ts';

const DAY = 86_400_000;
const RESERVED = new Set(['series', 'name', 'agent', 'from', 'to', 'threshold', 'window', 'seasonality', 'transform']);
const MAX_POINTS = 20_000;
/** Telemetry is judged as 10 s means (the agent's watch does the same); probes per probe. */
const TELEMETRY_STEP_MS = 10_000;

/** One anomaly as the API answers it. */
export interface AnomalyItem {
  readonly source: 'agent' | 'collector';
  readonly id: number;
  readonly agent: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: number;
  readonly value: number;
  readonly baseline: number;
  readonly scale: number;
  /** The detector's score (robust σ): known for the collector's; |value − baseline| / scale for an agent's event. */
  readonly score: number;
  readonly state: string;
}

export function registerAnomalyRoutes(app: Hono<{ Bindings: HttpBindings }>, store: Store, rows: AnomalyRows): void {
  app.get('/api/v1/anomalies', (c) => {
    const q = c.req.query();
    const { from, to } = timeWindow(q, DAY);
    const limit = q.limit === undefined ? 1_000 : intParam(q.limit, 'limit', 1, 10_000);
    if (q.name !== undefined && !METRIC_NAME_PATTERN.test(q.name)) throw badParam('name', q.name, 'a metric name');
    if (q.source !== undefined && q.source !== 'agent' && q.source !== 'collector') throw badParam('source', q.source, 'agent or collector');
    const agent = q.agent !== undefined ? { agent: q.agent } : {};
    const out: AnomalyItem[] = [];
    if (q.source !== 'collector') {
      for (const e of store.events({ from, to, kind: 'spc', limit: 100_000, ...agent })) {
        if (!isAnomalyEvent(e.event) || (q.name !== undefined && e.event.name !== q.name)) continue;
        const v = e.event as SpcViolationEvent;
        out.push({ source: 'agent', id: e.id, agent: e.agent, name: v.name, labels: v.labels, ts: v.ts, value: v.value, baseline: v.center, scale: v.sigma, score: v.sigma > 0 ? Math.abs(v.value - v.center) / v.sigma : 0, state: e.state });
      }
    }
    if (q.source !== 'agent') {
      for (const r of rows.list({ from, to, limit, ...agent, ...(q.name !== undefined ? { name: q.name } : {}) })) {
        out.push({ source: 'collector', id: r.id, agent: r.agent, name: r.name, labels: r.labels, ts: r.ts, value: r.value, baseline: r.baseline, scale: r.scale, score: r.score, state: 'open' });
      }
    }
    out.sort((a, b) => b.ts - a.ts || a.source.localeCompare(b.source) || b.id - a.id);
    return c.json({ from, to, anomalies: out.slice(0, limit) });
  });

  app.get('/api/v1/anomalies/series', (c) => {
    const q = c.req.query();
    const target = seriesTarget(q, RESERVED);
    const { from, to } = timeWindow(q, 3_600_000);
    const probe = chartDefaultsFor(target.name).subgroup === 1;
    const raw: Record<string, unknown> = probe ? { transform: 'log' } : {};
    if (q.threshold !== undefined) raw.threshold = Number(q.threshold);
    if (q.window !== undefined) raw.window = intParam(q.window, 'window', 5, 10_000);
    if (q.seasonality !== undefined) raw.seasonality = q.seasonality;
    if (q.transform !== undefined) raw.transform = q.transform;
    const parsed = anomalyOptions(raw, LIVE_ANOMALY_OPTIONS);
    if (!parsed.ok) throw badParam(parsed.where, q[parsed.where], parsed.error);
    const o = parsed.options;
    const stepMs = probe ? undefined : TELEMETRY_STEP_MS;
    const lookback = Math.max(o.window * (stepMs ?? 60_000), o.seasonality === 'none' ? 0 : 2 * DAY);
    const series = oneSeries(store, target, q.agent, from - lookback, to, MAX_POINTS, stepMs);
    const detector = new AnomalyDetector(o);
    const scores: [number, number][] = [];
    const anomalies: { ts: number; value: number; baseline: number; score: number }[] = [];
    const counter = COUNTER_METRICS.has(series.name);
    let prev: [number, number] | null = null;
    for (const p of series.points) {
      let value = p[1];
      if (counter) {
        // A counter is judged by its rate (a drop is a restart: the new count is the increase).
        const last: [number, number] | null = prev;
        prev = p;
        if (last === null || p[0] <= last[0]) continue;
        value = ((p[1] >= last[1] ? p[1] - last[1] : p[1]) * 1000) / (p[0] - last[0]);
      }
      const v = detector.push(p[0], value);
      if (v === null || p[0] < from) continue;
      if (v.state !== 'warmup') scores.push([p[0], v.score]);
      if (v.event) anomalies.push({ ts: p[0], value, baseline: v.baseline as number, score: v.score });
    }
    return c.json({ agent: series.agent, name: series.name, labels: series.labels, from, to, stepMs: stepMs ?? null, options: o, threshold: o.threshold, scores, anomalies });
  });
}
