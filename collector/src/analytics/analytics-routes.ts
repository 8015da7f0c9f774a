/**
 * The analytics routes of the collector's API, registered in one call after its auth middleware
 * (viewer role for all): anomalies (anomaly-routes.ts), forecasts (forecast-route.ts), the
 * capacity row of a host (capacity.ts), energy per token (energy-route.ts).
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { badParam } from '../api/api-error.ts';
import { intParam } from '../api/params.ts';
import type { AnomalyRows } from '../store/rows/anomaly-rows.ts';
import type { Store } from '../store/store.ts';
import { registerAnomalyRoutes } from './anomaly-routes.ts';
import { capacityRows, DEFAULT_CAPACITY } from './capacity.ts';
import { registerEnergyRoute } from './energy-route.ts';
import { registerForecastRoute } from './forecast-route.ts';

/** What the analytics routes need beside the store. */
export interface AnalyticsDeps {
  readonly anomalies: AnomalyRows;
  /** Probe spend budget per UTC day (US dollars), or null: none. */
  readonly probeBudgetUsd: number | null;
}

const HOUR = 3_600_000;

export function registerAnalyticsRoutes(app: Hono<{ Bindings: HttpBindings }>, store: Store, deps: AnalyticsDeps): void {
  registerAnomalyRoutes(app, store, deps.anomalies);
  registerForecastRoute(app, store);
  registerEnergyRoute(app, store);
  app.get('/api/v1/capacity', (c) => {
    const q = c.req.query();
    if (q.agent === undefined || q.agent === '') throw badParam('agent', q.agent, 'the agent whose capacity to show');
    const lookbackMs = q.lookback === undefined ? DEFAULT_CAPACITY.lookbackMs : intParam(q.lookback, 'lookback', 600_000, 7 * 24 * HOUR);
    const horizonMs = q.horizon === undefined ? DEFAULT_CAPACITY.horizonMs : intParam(q.horizon, 'horizon', 600_000, 30 * 24 * HOUR);
    const now = Date.now();
    return c.json({ agent: q.agent, now, lookbackMs, horizonMs, level: DEFAULT_CAPACITY.level, rows: capacityRows(store, q.agent, { ...DEFAULT_CAPACITY, now, lookbackMs, horizonMs, probeBudgetUsd: deps.probeBudgetUsd }) });
  });
}
