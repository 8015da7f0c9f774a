/**
 * A report chart as data: series of points (lines, or step lines for a CDF) or bars, with titles
 * and axis labels. Geometry (chart-geometry.ts) turns it into positioned marks; the SVG and PDF
 * renderers draw those marks, so the HTML and PDF reports show the same chart.
 */

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** `step` draws a CDF; `bars` draws each series' points as bars of width `barWidth` (x units), side by side. */
  readonly kind: 'line' | 'step' | 'bars';
  readonly series: readonly ChartSeries[];
  readonly barWidth?: number;
  readonly yMin?: number;
  readonly yMax?: number;
}

/** Series colours (colour-blind safe, Okabe–Ito), by series index. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;
