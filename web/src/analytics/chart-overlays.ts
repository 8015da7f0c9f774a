/**
 * What the analytics add to a time-series panel, as Chart.js datasets on the series' own y axis:
 * anomaly markers (drawn as the SPC chart draws violations: a filled shape with an outline, in a
 * colour no series takes) and a forecast with its interval as a shaded band past the last point.
 * Pure: the panel only appends the datasets and lists the legend entries.
 */
import { Chart, Filler } from 'chart.js';
import type { ChartDataset } from 'chart.js';
import type { UnitKind } from '../format/units.ts';
import type { AnomalySeriesResult, ForecastResult } from './analytics-types.ts';

// The band fills between two datasets: Chart.js's Filler plugin, registered beside what chart-parts.ts registers.
Chart.register(Filler);

/** One overlay: its datasets (drawn after the series) and its legend entry. */
export interface ChartOverlay {
  readonly datasets: readonly ChartDataset<'line', { x: number; y: number }[]>[];
  readonly legend: { readonly label: string; readonly color: string; readonly kind: 'marker' | 'band' };
}

/** Anomalies are vermilion diamonds: the Okabe–Ito colour the first series never takes. */
export const ANOMALY_COLOR = '#D55E00';
const FORECAST_COLOR = '#CC79A7';

/**
 * Markers at the anomalies of one series: those the collector finds on its stored points (`r`)
 * and the anomaly events its agent sent (`events`), one marker where both saw the same one (within
 * `mergeMs`).
 */
export function anomalyOverlay(r: AnomalySeriesResult | null, events: readonly { readonly ts: number; readonly value: number }[], unit: UnitKind, outline: string): ChartOverlay | null {
  const mergeMs = r?.stepMs ?? 10_000;
  const points = [...(r?.anomalies ?? []).map((a) => ({ x: a.ts, y: a.value }))];
  for (const e of events) if (!points.some((p) => Math.abs(p.x - e.ts) <= mergeMs)) points.push({ x: e.ts, y: e.value });
  if (points.length === 0) return null;
  points.sort((a, b) => a.x - b.x);
  return {
    datasets: [{
      label: 'Anomaly', data: points, yAxisID: `y-${unit}`,
      showLine: false, pointStyle: 'rectRot', pointRadius: 7, pointHoverRadius: 9, borderColor: outline, borderWidth: 1, backgroundColor: ANOMALY_COLOR, order: -1,
    }],
    legend: { label: `Anomalies (${points.length})`, color: ANOMALY_COLOR, kind: 'marker' },
  };
}

/** The forecast line and its interval past the end of the data. */
export function forecastOverlay(f: ForecastResult, unit: UnitKind): ChartOverlay | null {
  if (f.points.length === 0) return null;
  const axis = `y-${unit}`;
  const at = (k: 1 | 2 | 3) => f.points.map((p) => ({ x: p[0] + f.stepMs / 2, y: p[k] }));
  const band = `${FORECAST_COLOR}33`;
  return {
    datasets: [
      { label: `Forecast ${Math.round(f.level * 100)} % low`, data: at(2), yAxisID: axis, borderWidth: 0, pointRadius: 0, backgroundColor: band, fill: false },
      { label: `Forecast ${Math.round(f.level * 100)} % high`, data: at(3), yAxisID: axis, borderWidth: 0, pointRadius: 0, backgroundColor: band, fill: '-1' },
      { label: `Forecast (${f.kind})`, data: at(1), yAxisID: axis, borderColor: FORECAST_COLOR, borderWidth: 1.5, borderDash: [5, 4], pointRadius: 0, backgroundColor: FORECAST_COLOR },
    ],
    legend: { label: `Forecast, ${Math.round(f.level * 100)} % interval`, color: FORECAST_COLOR, kind: 'band' },
  };
}

/** The time the overlays reach, so the panel's x axis can show them. */
export function overlaysEnd(overlays: readonly ChartOverlay[]): number | null {
  let end: number | null = null;
  for (const o of overlays) for (const d of o.datasets) for (const p of d.data) end = end === null ? p.x : Math.max(end, p.x);
  return end;
}
