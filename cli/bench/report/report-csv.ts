/**
 * The CSV report: one row per run, target (and sweep stage) and metric with its percentiles and
 * the target's rates; then, for two runs, one row per comparison. RFC 4180 through the
 * collector's CSV writer (formula-safe text fields).
 */
import { toCsv } from '@sigmascope/collector/query/csv';
import type { CsvValue } from '@sigmascope/collector/query/csv';
import type { ReportData } from './report-data.ts';

const METRICS = ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2e_ms'] as const;

/** The CSV text. */
export function reportCsv(d: ReportData): string {
  const rows: CsvValue[][] = [];
  for (const run of d.runs) {
    for (const [target, s] of Object.entries(run.summary)) {
      const stages = [{ rate: null as number | null, ...s }, ...(s.stages ?? [])];
      for (const st of stages) {
        for (const m of METRICS) {
          const v = st[m];
          rows.push(['summary', run.id, target, st.rate, m, st.requests, st.errors, v?.p50, v?.p90, v?.p95, v?.p99, v?.mean, st.requests_per_s, st.output_tokens_per_s, st.goodput_rps, st.check_pass_rate, null, null, null, null]);
        }
      }
    }
  }
  for (const c of d.comparison?.comparisons ?? []) {
    rows.push(['comparison', `${d.comparison?.a} vs ${d.comparison?.b}`, c.target, null, c.metric, c.b.n, null, c.b.median, null, c.b.p95, null, c.b.mean, null, null, null, null, c.change, c.mann_whitney?.p, c.p_adjusted, c.verdict]);
  }
  return toCsv(['kind', 'run', 'target', 'rate', 'metric', 'requests', 'errors', 'p50', 'p90', 'p95', 'p99', 'mean', 'requests_per_s', 'output_tokens_per_s', 'goodput_rps', 'check_pass_rate', 'change', 'p_mann_whitney', 'p_adjusted', 'verdict'], rows);
}
