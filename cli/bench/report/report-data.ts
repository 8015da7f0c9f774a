/**
 * Everything a report shows, computed once for every format: the runs' provenance and summaries,
 * the comparison when there are two runs, and the charts (protocol/stats/run-charts.ts: the same
 * data the dashboard's run pages draw).
 */
import type { SummaryWithStages } from '@sigmascope/protocol/bench-records';
import { DEFAULT_RUN_METRICS } from '@sigmascope/protocol/stats/run-comparison';
import type { CompareResult } from '@sigmascope/protocol/stats/run-comparison';
import { compareRuns } from '../compare/compare-runs.ts';
import type { LoadedRun } from '../output/run-files.ts';
import type { RunRecord } from '../output/run-record.ts';
import { runCharts } from '@sigmascope/protocol/stats/run-charts';
import type { ChartRun, RunCharts } from '@sigmascope/protocol/stats/run-charts';

export interface ReportData {
  readonly runs: readonly Omit<RunRecord, 'config'>[];
  readonly comparison: CompareResult | null;
  readonly charts: RunCharts;
}

/** The report of one run, or of A against B. */
export function reportData(runs: readonly LoadedRun[]): ReportData {
  const chartRuns: ChartRun[] = runs.map((r, i) => ({
    label: runs.length > 1 ? (i === 0 ? 'A' : 'B') : '',
    targets: Object.keys(r.run.summary),
    requests: r.requests,
    stages: Object.fromEntries(Object.entries(r.run.summary).map(([t, s]: [string, SummaryWithStages]) => [t, s.stages ?? []])),
  }));
  return {
    runs: runs.map(({ run }) => {
      const { config: _config, ...rest } = run;
      return rest;
    }),
    comparison: runs.length === 2 ? compareRuns(runs[0] as LoadedRun, runs[1] as LoadedRun, DEFAULT_RUN_METRICS, { threshold: 0.05, alpha: 0.05 }) : null,
    charts: runCharts(chartRuns),
  };
}
