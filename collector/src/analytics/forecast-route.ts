/**
 * `GET /api/v1/forecast`: one series forecast beyond the end of a window, with its prediction
 * interval (protocol/src/forecast): fitted to the window's bucket means at `step`, `horizon` ms
 * ahead. Probe latencies are forecast on the log scale; a window of three days or more adds the
 * daily season. The answer's points are `[ts, forecast, lower, upper]`; with too few points there
 * are none, and `unavailable` says why.
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { forecastValues } from '@sigmascope/protocol/forecast/forecast';
import type { Forecast } from '@sigmascope/protocol/forecast/forecast';
import { chartDefaultsFor } from '@sigmascope/protocol/spc/series-defaults';
import { badParam } from '../api/api-error.ts';
import { intParam, timeWindow } from '../api/params.ts';
import { oneSeries, seriesTarget } from '../api/series-target.ts';
import type { Store } from '../store/store.ts';

const DAY = 86_400_000;
const RESERVED = new Set(['series', 'name', 'agent', 'from', 'to', 'horizon', 'step', 'level']);
const MAX_STEPS = 10_000;

/** A step for a window: about 300 points, a whole number of 10 s. */
export function forecastStep(spanMs: number): number {
  return Math.max(10_000, Math.round(spanMs / 300 / 10_000) * 10_000);
}

/**
 * Evenly spaced values from bucket means: a bucket without points takes its predecessor's value
 * (the models need a regular grid; a short gap reads as "no change").
 */
export function regularGrid(points: readonly (readonly [number, number])[], from: number, to: number, stepMs: number): { start: number; values: number[] } {
  const start = Math.floor(from / stepMs) * stepMs;
  const n = Math.max(0, Math.floor((to - start) / stepMs));
  const values: (number | undefined)[] = new Array(n).fill(undefined);
  for (const [t, v] of points) {
    const i = Math.floor((t - start) / stepMs);
    if (i >= 0 && i < n) values[i] = v;
  }
  const first = values.findIndex((v) => v !== undefined);
  if (first < 0) return { start, values: [] };
  const out: number[] = [];
  let last = values[first] as number;
  for (let i = first; i < n; i++) {
    last = values[i] ?? last;
    out.push(last);
  }
  return { start: start + first * stepMs, values: out };
}

/** Options of a forecast of `values` on a grid of `stepMs`, for the metric `name`. */
export function forecastFor(name: string, values: readonly number[], stepMs: number, horizonSteps: number, level: number): ReturnType<typeof forecastValues> {
  const log = chartDefaultsFor(name).transform === 'log' && values.every((v) => v > 0);
  const perDay = DAY / stepMs;
  const period = Number.isInteger(perDay) && perDay >= 2 && values.length >= 3 * perDay ? perDay : undefined;
  return forecastValues(values, { horizon: horizonSteps, level, transform: log ? 'log' : 'none', ...(period !== undefined ? { period } : {}) });
}

export function registerForecastRoute(app: Hono<{ Bindings: HttpBindings }>, store: Store): void {
  app.get('/api/v1/forecast', (c) => {
    const q = c.req.query();
    const target = seriesTarget(q, RESERVED);
    const { from, to } = timeWindow(q, 3_600_000);
    const stepMs = q.step === undefined ? forecastStep(to - from) : intParam(q.step, 'step', 1_000, DAY);
    const horizonMs = q.horizon === undefined ? Math.max(stepMs, Math.round((to - from) / 3)) : intParam(q.horizon, 'horizon', 1_000, 366 * DAY);
    const steps = Math.ceil(horizonMs / stepMs);
    if (steps > MAX_STEPS) throw badParam('horizon', q.horizon, `at most ${MAX_STEPS} steps of ${stepMs} ms`);
    if ((to - from) / stepMs > 100_000) throw badParam('step', q.step, 'at most 100,000 steps in the window');
    const level = q.level === undefined ? 0.8 : Number(q.level);
    if (!(level > 0 && level < 1)) throw badParam('level', q.level, 'a number between 0 and 1, such as 0.8');
    const series = oneSeries(store, target, q.agent, from, to, 100_000, stepMs);
    const grid = regularGrid(series.points, from, to, stepMs);
    const r = forecastFor(series.name, grid.values, stepMs, steps, level);
    const base = { agent: series.agent, name: series.name, labels: series.labels, from, to, stepMs, level, fitted: grid.values.length };
    // Too little data is an answer, not an error: a new series has no forecast yet.
    if (!r.ok) return c.json({ ...base, kind: null, transform: null, points: [], unavailable: r.error });
    const f: Forecast = r.forecast;
    const t0 = grid.start + grid.values.length * stepMs;
    return c.json({
      agent: series.agent, name: series.name, labels: series.labels, from, to, stepMs, level, kind: f.kind, transform: f.transform, fitted: grid.values.length,
      points: f.mean.map((m, i) => [t0 + i * stepMs, m, f.lower[i], f.upper[i]]),
    });
  });
}
