/**
 * Everything a report shows, computed once for every format: the runs' provenance and summaries,
 * the comparison when there are two runs, and the charts — the end-to-end latency CDF per target,
 * the TTFT histogram, and, for sweeps, achieved throughput against the offered rate.
 */
import type { SummaryWithStages } from '../accounting/summarize.ts';
import { DEFAULT_RUN_METRICS } from '@sigmascope/protocol/stats/run-comparison';
import type { CompareResult } from '@sigmascope/protocol/stats/run-comparison';
import { compareRuns } from '../compare/compare-runs.ts';
import type { LoadedRun } from '../output/run-files.ts';
import type { RunRecord } from '../output/run-record.ts';
import type { Chart, ChartSeries } from './charts/chart.ts';

export interface ReportData {
  readonly runs: readonly Omit<RunRecord, 'config'>[];
  readonly comparison: CompareResult | null;
  readonly charts: { readonly latencyCdf: Chart; readonly ttftHistogram: Chart; readonly throughputVsRate: Chart | null };
}

const MAX_CDF_POINTS = 400;

function seriesName(runs: readonly LoadedRun[], i: number, target: string): string {
  return runs.length > 1 ? `${target} (${i === 0 ? 'A' : 'B'})` : target;
}

function perTarget(runs: readonly LoadedRun[], f: (run: LoadedRun, target: string, name: string) => ChartSeries | null): ChartSeries[] {
  return runs.flatMap((r, i) => Object.keys(r.run.summary).map((t) => f(r, t, seriesName(runs, i, t)))).filter((s): s is ChartSeries => s !== null);
}

function cdf(values: number[]): [number, number][] {
  const s = [...values].sort((a, b) => a - b);
  const stride = Math.max(1, Math.ceil(s.length / MAX_CDF_POINTS));
  const out: [number, number][] = [];
  for (let i = 0; i < s.length; i += stride) out.push([s[i] as number, (i + 1) / s.length]);
  if (s.length > 0 && out.at(-1)?.[1] !== 1) out.push([s.at(-1) as number, 1]);
  return out;
}

function histogram(runs: readonly LoadedRun[]): Chart {
  const all = runs.flatMap((r) => r.requests.filter((q) => q.ok && q.ttft_ms !== null).map((q) => q.ttft_ms as number));
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const bins = Math.min(24, Math.max(4, Math.ceil(Math.sqrt(all.length))));
  const width = (hi - lo) / bins || 1;
  const series = perTarget(runs, (r, t, name) => {
    const counts = new Array<number>(bins).fill(0);
    for (const q of r.requests) if (q.target === t && q.ok && q.ttft_ms !== null) counts[Math.min(bins - 1, Math.floor((q.ttft_ms - lo) / width))]! += 1;
    return { name, points: counts.map((c, i) => [lo + (i + 0.5) * width, c] as const) };
  });
  return { title: 'Time to first token: histogram', xLabel: 'TTFT (ms)', yLabel: 'requests', kind: 'bars', barWidth: width, series };
}

function throughput(runs: readonly LoadedRun[]): Chart | null {
  const sweeps = runs.filter((r) => Object.values(r.run.summary).some((s: SummaryWithStages) => (s.stages?.length ?? 0) > 0));
  if (sweeps.length === 0) return null;
  const series = perTarget(sweeps, (r, t, name) => {
    const stages = r.run.summary[t]?.stages ?? [];
    return stages.length === 0 ? null : { name, points: stages.map((s) => [s.rate, s.requests_per_s ?? 0] as const) };
  });
  const rates = sweeps.flatMap((r) => Object.values(r.run.summary).flatMap((s: SummaryWithStages) => s.stages?.map((x) => x.rate) ?? []));
  series.push({ name: 'offered rate', dashed: true, points: [[Math.min(...rates), Math.min(...rates)], [Math.max(...rates), Math.max(...rates)]] });
  return { title: 'Throughput against offered rate (sweep)', xLabel: 'offered rate (requests/s)', yLabel: 'achieved requests/s', kind: 'line', series };
}

/** The report of one run, or of A against B. */
export function reportData(runs: readonly LoadedRun[]): ReportData {
  const latencyCdf: Chart = {
    title: 'End-to-end latency: cumulative distribution', xLabel: 'end-to-end latency (ms)', yLabel: 'fraction of requests', kind: 'step', yMin: 0, yMax: 1,
    series: perTarget(runs, (r, t, name) => ({ name, points: cdf(r.requests.filter((q) => q.target === t && q.ok).map((q) => q.e2e_ms)) })),
  };
  return {
    runs: runs.map(({ run }) => {
      const { config: _config, ...rest } = run;
      return rest;
    }),
    comparison: runs.length === 2 ? compareRuns(runs[0] as LoadedRun, runs[1] as LoadedRun, DEFAULT_RUN_METRICS, { threshold: 0.05, alpha: 0.05 }) : null,
    charts: { latencyCdf, ttftHistogram: histogram(runs), throughputVsRate: throughput(runs) },
  };
}
