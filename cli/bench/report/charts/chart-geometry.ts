/**
 * Positions a chart's marks (protocol/stats/run-charts.ts's data) in a box of `width` × `height` points: plot area inside margins, axis
 * ranges padded to "nice" tick steps (1, 2, 5 × 10ⁿ), polylines (or step lines) per series, bars
 * grouped side by side per x, and the legend. Pure: renderers only draw what this returns.
 */
import type { ChartData as Chart } from '@sigmascope/protocol/stats/run-charts';

/** Series colours (colour-blind safe, Okabe–Ito), by series index. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export interface Tick {
  readonly at: number;
  readonly label: string;
}

export interface ChartMarks {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  readonly lines: readonly { readonly color: string; readonly dashed: boolean; readonly points: readonly (readonly [number, number])[] }[];
  readonly bars: readonly { readonly color: string; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[];
  readonly legend: readonly { readonly color: string; readonly name: string }[];
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function label(v: number, step: number): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(6, digits));
}

function ticks(lo: number, hi: number, count: number): { lo: number; hi: number; ticks: Tick[] } {
  if (!(hi > lo)) hi = lo + 1;
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const out: Tick[] = [];
  for (let v = start; v <= end + step / 2; v += step) out.push({ at: v, label: label(v, step) });
  return { lo: start, hi: end, ticks: out };
}

/** The chart's marks in a `width` × `height` box. */
export function chartMarks(c: Chart, width: number, height: number): ChartMarks {
  const plot = { x: 56, y: 34, w: width - 56 - 16, h: height - 34 - 62 };
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1]));
  const half = c.kind === 'bars' ? (c.barWidth ?? 1) / 2 : 0;
  const xr = ticks(xs.length ? Math.min(...xs) - half : 0, xs.length ? Math.max(...xs) + half : 1, 6);
  const yr = ticks(c.yMin ?? (ys.length ? Math.min(0, ...ys) : 0), c.yMax ?? (ys.length ? Math.max(...ys) : 1), 5);
  const sx = (x: number): number => plot.x + ((x - xr.lo) / (xr.hi - xr.lo)) * plot.w;
  const sy = (y: number): number => plot.y + plot.h - ((y - yr.lo) / (yr.hi - yr.lo)) * plot.h;
  const color = (i: number): string => PALETTE[i % PALETTE.length] as string;
  const lines: ChartMarks['lines'][number][] = [];
  const bars: ChartMarks['bars'][number][] = [];
  c.series.forEach((s, i) => {
    if (c.kind === 'bars') {
      const bw = c.barWidth ?? 1;
      const each = bw / c.series.length;
      for (const [x, y] of s.points) {
        const left = sx(x - bw / 2 + i * each);
        bars.push({ color: color(i), x: left, y: sy(y), w: Math.max(0.5, sx(x - bw / 2 + (i + 1) * each) - left - 0.5), h: sy(0) - sy(y) });
      }
      return;
    }
    const pts: [number, number][] = [];
    s.points.forEach(([x, y], k) => {
      if (c.kind === 'step' && k > 0) pts.push([sx(x), sy(s.points[k - 1]![1])]);
      pts.push([sx(x), sy(y)]);
    });
    lines.push({ color: color(i), dashed: s.dashed === true, points: pts });
  });
  return {
    width, height, plot,
    xTicks: xr.ticks.map((t) => ({ at: sx(t.at), label: t.label })),
    yTicks: yr.ticks.map((t) => ({ at: sy(t.at), label: t.label })),
    lines, bars,
    legend: c.series.map((s, i) => ({ color: color(i), name: s.name })),
    title: c.title, xLabel: c.xLabel, yLabel: c.yLabel,
  };
}
