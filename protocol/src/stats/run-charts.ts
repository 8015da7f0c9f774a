/**
 * The charts of a benchmark run, as data: the end-to-end latency CDF per target, the TTFT
 * histogram (shared bins, so runs overlay), and achieved against offered rate for sweeps. The
 * CLI's HTML/PDF report and the dashboard's run pages draw these same numbers, each their way.
 */
import type { RequestSample } from './run-comparison.ts';

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

/** `step` is a CDF; `bars` a histogram whose points are bin centres of width `barWidth`. */
export interface ChartData {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly kind: 'line' | 'step' | 'bars';
  readonly series: readonly ChartSeries[];
  readonly barWidth?: number;
  readonly yMin?: number;
  readonly yMax?: number;
}

/** One run as the charts need it; `label` tells runs apart in series names ('' for a single run). */
export interface ChartRun {
  readonly label: string;
  readonly targets: readonly string[];
  readonly requests: readonly RequestSample[];
  /** Sweep stages per target: offered rate and achieved requests/s. */
  readonly stages: Readonly<Record<string, readonly { readonly rate: number; readonly requests_per_s: number | null }[]>>;
}

export interface RunCharts {
  readonly latencyCdf: ChartData;
  readonly ttftHistogram: ChartData;
  readonly throughputVsRate: ChartData | null;
}

const MAX_CDF_POINTS = 400;

/** The empirical CDF of `values` as (value, fraction ≤ value), thinned to at most 400 points. */
export function ecdfPoints(values: readonly number[]): [number, number][] {
  const s = [...values].sort((a, b) => a - b);
  const stride = Math.max(1, Math.ceil(s.length / MAX_CDF_POINTS));
  const out: [number, number][] = [];
  for (let i = 0; i < s.length; i += stride) out.push([s[i] as number, (i + 1) / s.length]);
  if (s.length > 0 && out.at(-1)?.[1] !== 1) out.push([s.at(-1) as number, 1]);
  return out;
}

const name = (r: ChartRun, target: string): string => (r.label === '' ? target : `${target} (${r.label})`);
const perTarget = (runs: readonly ChartRun[], f: (r: ChartRun, target: string) => ChartSeries | null): ChartSeries[] =>
  runs.flatMap((r) => r.targets.map((t) => f(r, t))).filter((s): s is ChartSeries => s !== null);

/** The three charts of one or more runs. */
export function runCharts(runs: readonly ChartRun[]): RunCharts {
  const latencyCdf: ChartData = {
    title: 'End-to-end latency: cumulative distribution', xLabel: 'end-to-end latency (ms)', yLabel: 'fraction of requests', kind: 'step', yMin: 0, yMax: 1,
    series: perTarget(runs, (r, t) => ({ name: name(r, t), points: ecdfPoints(r.requests.filter((q) => q.target === t && q.ok).map((q) => q.e2e_ms)) })),
  };

  const ttfts = runs.flatMap((r) => r.requests.filter((q) => q.ok && q.ttft_ms !== null).map((q) => q.ttft_ms as number));
  const lo = ttfts.length ? Math.min(...ttfts) : 0;
  const hi = ttfts.length ? Math.max(...ttfts) : 1;
  const bins = Math.min(24, Math.max(4, Math.ceil(Math.sqrt(ttfts.length))));
  const width = (hi - lo) / bins || 1;
  const ttftHistogram: ChartData = {
    title: 'Time to first token: histogram', xLabel: 'TTFT (ms)', yLabel: 'requests', kind: 'bars', barWidth: width,
    series: perTarget(runs, (r, t) => {
      const counts = new Array<number>(bins).fill(0);
      for (const q of r.requests) if (q.target === t && q.ok && q.ttft_ms !== null) counts[Math.min(bins - 1, Math.floor((q.ttft_ms - lo) / width))]! += 1;
      return { name: name(r, t), points: counts.map((c, i) => [lo + (i + 0.5) * width, c] as const) };
    }),
  };

  const rates = runs.flatMap((r) => Object.values(r.stages).flatMap((s) => s.map((x) => x.rate)));
  let throughputVsRate: ChartData | null = null;
  if (rates.length > 0) {
    const series = perTarget(runs, (r, t) => {
      const s = r.stages[t] ?? [];
      return s.length === 0 ? null : { name: name(r, t), points: s.map((x) => [x.rate, x.requests_per_s ?? 0] as const) };
    });
    const [min, max] = [Math.min(...rates), Math.max(...rates)];
    series.push({ name: 'offered rate', dashed: true, points: [[min, min], [max, max]] });
    throughputVsRate = { title: 'Throughput against offered rate (sweep)', xLabel: 'offered rate (requests/s)', yLabel: 'achieved requests/s', kind: 'line', series };
  }
  return { latencyCdf, ttftHistogram, throughputVsRate };
}
