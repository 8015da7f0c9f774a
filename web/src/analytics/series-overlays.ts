/**
 * The overlays of the series page's panel: the series' anomalies (the collector's and its agent's
 * events) and its forecast, from what the AnalyticsController and the page hold. Pure apart from
 * reading the theme.
 */
import type { Labels } from '@sigmascope/protocol/series';
import { ANOMALY_RULE } from '@sigmascope/protocol/anomaly/anomaly-event';
import type { Violation } from '../api/api-types.ts';
import { unitOf } from '../format/units.ts';
import { chartTheme } from '../theme/palette.ts';
import type { AnalyticsController } from './analytics-controller.ts';
import { anomalyOverlay, forecastOverlay, overlaysEnd } from './chart-overlays.ts';
import type { ChartOverlay } from './chart-overlays.ts';

/**
 * The overlays of one series and how far right they reach. `events` are the page's violations:
 * those of rule `anomaly` on this series are the agent's anomaly events.
 */
export function seriesOverlays(a: AnalyticsController, s: { agent: string; name: string; labels: Labels }, events: readonly Violation[], themed: Element): { list: ChartOverlay[]; end: number | null } {
  const key = a.seriesKey(s.agent, s.name, s.labels);
  const unit = unitOf(s.name);
  const list: ChartOverlay[] = [];
  const anomalies = a.anomalies.get(key);
  const forecast = a.forecasts.get(key);
  const own = events.filter((v) => v.rule === ANOMALY_RULE && v.agent === s.agent && v.name === s.name && Object.entries(s.labels).every(([k, x]) => v.labels[k] === x));
  const marks = anomalyOverlay(anomalies ?? null, own, unit, chartTheme(themed).fg);
  const ahead = forecast ? forecastOverlay(forecast, unit) : null;
  if (marks) list.push(marks);
  if (ahead) list.push(ahead);
  return { list, end: overlaysEnd(list) };
}
