/** The readable form of a run's summaries that `bench run --format table` prints. */
import type { RunRecord } from './run-record.ts';

const f = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '–' : v.toFixed(digits));

/** One row per target (and per sweep stage), fixed-width columns. */
export function summaryTable(run: RunRecord): string {
  const head = ['target', 'requests', 'errors', 'ttft p50', 'ttft p95', 'tpot p50', 'e2e p50', 'e2e p95', 'req/s', 'tok/s', 'goodput', 'checks'];
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(run.summary)) {
    const row = (label: string, x: typeof s): string[] => [
      label, String(x.requests), String(x.errors), f(x.ttft_ms?.p50), f(x.ttft_ms?.p95), f(x.tpot_ms?.p50, 2), f(x.e2e_ms?.p50), f(x.e2e_ms?.p95),
      f(x.requests_per_s, 2), f(x.output_tokens_per_s), f(x.goodput_rps, 2), x.check_pass_rate === null ? '–' : `${Math.round(x.check_pass_rate * 100)} %`,
    ];
    rows.push(row(name, s));
    for (const st of s.stages ?? []) rows.push(row(`  @ ${st.rate}/s`, st));
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [`run ${run.id}  suite ${run.suite.name}  (times in ms)`, line(head), ...rows.map(line)].join('\n');
}
