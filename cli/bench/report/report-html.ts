/**
 * The HTML report: one self-contained page (inline CSS and SVG charts, no script, nothing
 * fetched), readable from 390 px wide up: provenance, the summary table per run, the comparison
 * when there are two runs, then the charts.
 */
import type { ReportData } from './report-data.ts';
import { svgChart } from './charts/svg-chart.ts';

const esc = (s: unknown): string => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (v: number | null | undefined, d = 1): string => (v === null || v === undefined ? '–' : v.toFixed(d));

function provenance(run: ReportData['runs'][number]): string {
  const gpus = run.host.gpus?.gpus.map((g) => g.name ?? 'GPU').join(', ') || 'none found';
  const rows: [string, string][] = [
    ['suite', `${run.suite.name} · sha256 ${run.suite.sha256.slice(0, 16)}…`],
    ['dataset', `${run.dataset.count} prompts (${run.dataset.source}) · sha256 ${run.dataset.sha256.slice(0, 16)}…`],
    ['config', `sha256 ${run.config_sha256.slice(0, 16)}… · seed ${run.seed}`],
    ['when', `${run.startedAt} → ${run.endedAt}${run.interrupted ? ' (interrupted)' : ''}`],
    ['host', `${run.host.hostname} · ${run.host.inventory?.cpu.model ?? 'CPU unknown'} · GPUs: ${gpus}`],
    ['versions', `sigmascope ${run.versions.sigmascope} · node ${run.versions.node} · ${run.versions.platform}`],
    ['warm-up', `${run.warmup.requests} requests per target, excluded`],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function summary(run: ReportData['runs'][number]): string {
  const head = ['target', 'requests', 'errors', 'TTFT p50', 'TTFT p95', 'TPOT p50', 'ITL p50', 'E2E p50', 'E2E p95', 'E2E p99', 'req/s', 'tok/s', 'goodput/s', 'checks'];
  const rows = Object.entries(run.summary).flatMap(([t, s]) => [[t, s] as const, ...(s.stages ?? []).map((st) => [`  @ ${st.rate}/s`, st] as const)]).map(([t, s]) =>
    [t, s.requests, s.errors, f(s.ttft_ms?.p50), f(s.ttft_ms?.p95), f(s.tpot_ms?.p50, 2), f(s.itl_ms?.p50, 2), f(s.e2e_ms?.p50), f(s.e2e_ms?.p95), f(s.e2e_ms?.p99), f(s.requests_per_s, 2), f(s.output_tokens_per_s), f(s.goodput_rps, 2), s.check_pass_rate === null ? '–' : `${Math.round(s.check_pass_rate * 100)} %`]);
  return table(head, rows.map((r) => r.map(String)));
}

function table(head: string[], rows: string[][]): string {
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

function comparison(d: ReportData): string {
  const c = d.comparison;
  if (c === null) return '';
  const head = ['target', 'metric', 'median A', 'median B', 'change', 'HL shift [95 % CI]', 'p (Holm)', 'verdict'];
  const rows = c.comparisons.map((x) => [x.target, x.metric, f(x.a.median, 2), f(x.b.median, 2), x.change === null ? '–' : `${(x.change * 100).toFixed(1)} %`, x.hodges_lehmann ? `${f(x.hodges_lehmann.shift, 2)} [${f(x.hodges_lehmann.ci[0], 2)}, ${f(x.hodges_lehmann.ci[1], 2)}]` : '–', x.p_adjusted === null ? '–' : x.p_adjusted.toPrecision(3), x.verdict.replace('_', ' ')]);
  return `<h2>B against A: ${c.regressions > 0 ? `<span class="bad">${c.regressions} regression${c.regressions === 1 ? '' : 's'}</span>` : 'no regression'}</h2><p>A <code>${esc(c.a)}</code>, B <code>${esc(c.b)}</code>; threshold ${c.threshold * 100} % on the median, alpha ${c.alpha}, Holm over ${c.comparisons.length} comparisons.</p>${table(head, rows)}`;
}

/** The HTML page. */
export function reportHtml(d: ReportData): string {
  const charts = [d.charts.latencyCdf, d.charts.ttftHistogram, ...(d.charts.throughputVsRate ? [d.charts.throughputVsRate] : [])];
  const title = `Sigmascope benchmark: ${d.runs.map((r) => r.suite.name).join(' vs ')}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#1b1b1b}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:24px 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-variant-numeric:tabular-nums;white-space:nowrap}
th,td{padding:4px 8px;border-bottom:1px solid #e5e5e5;text-align:right}th:first-child,td:first-child{text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:16px}.bad{color:#b00020}code{font-size:12px}
</style></head><body><h1>${esc(title)}</h1>
${d.runs.map((r, i) => `<h2>${d.runs.length > 1 ? (i === 0 ? 'A: ' : 'B: ') : ''}run ${esc(r.id)}</h2>${provenance(r)}${summary(r)}`).join('')}
${comparison(d)}
<h2>Charts</h2><div class="charts">${charts.map((c) => `<figure style="margin:0">${svgChart(c)}</figure>`).join('')}</div>
<p style="color:#666;font-size:12px">Times in milliseconds on the monotonic clock; percentiles with linear interpolation; warm-up requests excluded.</p>
</body></html>
`;
}
