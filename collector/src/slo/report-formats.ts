/**
 * The capability report as CSV (one line per row, RFC 4180 quoting) and as a readable HTML page
 * (self-contained: inline styles, no script), for the route and the daily job.
 */
import type { CapabilityReport, CapabilityRow } from '@sigmascope/protocol/capability-report';

const COLUMNS: readonly (keyof CapabilityRow)[] = ['provider', 'model', 'host', 'agent', 'metric', 'transform', 'lsl', 'usl', 'n', 'mean', 'sigmaWithin', 'sdOverall', 'cp', 'cpk', 'pp', 'ppk', 'outOfSpec', 'error'];

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function reportCsv(r: CapabilityReport): string {
  return [['day', ...COLUMNS].join(','), ...r.rows.map((row) => [r.day, ...COLUMNS.map((k) => row[k])].map(csvCell).join(','))].join('\r\n') + '\r\n';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number | null, digits = 2): string => (v === null ? '–' : v.toFixed(digits));

/** Cpk/Ppk bands as capability studies read them: ≥ 1.33 capable, ≥ 1 marginal, below not capable. */
export function capabilityBand(index: number | null): 'capable' | 'marginal' | 'not capable' | 'unknown' {
  if (index === null) return 'unknown';
  return index >= 1.33 ? 'capable' : index >= 1 ? 'marginal' : 'not capable';
}

const BAND_COLOR = { capable: '#1a7f37', marginal: '#9a6700', 'not capable': '#cf222e', unknown: '#57606a' } as const;

export function reportHtml(r: CapabilityReport): string {
  const cell = (v: number | null) => `<td class="n" style="color:${BAND_COLOR[capabilityBand(v)]}">${num(v)}</td>`;
  const rows = r.rows.map((x) => `<tr><th scope="row">${esc(x.provider)}</th><td>${esc(x.model)}</td><td>${esc(x.host)}</td><td>${esc(x.metric)}</td><td class="n">${x.lsl ?? '–'}</td><td class="n">${x.usl ?? '–'}</td><td class="n">${x.n}</td>${cell(x.cp)}${cell(x.cpk)}${cell(x.pp)}${cell(x.ppk)}<td class="n">${x.outOfSpec}</td><td>${esc(x.error ?? capabilityBand(x.cpk))}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Sigmascope capability report ${esc(r.day)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse;width:100%}th,td{padding:.35rem .6rem;border-bottom:1px solid #d0d7de;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#f6f8fa}caption{text-align:left;color:#57606a;padding:.5rem 0}.wrap{overflow-x:auto}</style>
</head><body>
<h1>Capability report, ${esc(r.day)} (UTC)</h1>
<p>Probes from ${esc(new Date(r.from).toISOString())} to ${esc(new Date(r.to).toISOString())}, one point per completed probe, against the SLOs below. Cp and Cpk use the within σ (mean moving range / 1.128), Pp and Ppk the overall standard deviation; ≥ 1.33 is capable, 1–1.33 marginal, below 1 not capable.</p>
<ul>${r.slos.map((s) => `<li>${esc(s.provider)}${s.model === null ? '' : ` ${esc(s.model)}`}: ${esc(s.metric)}${s.lsl !== null ? ` ≥ ${s.lsl}` : ''}${s.usl !== null ? ` ≤ ${s.usl}` : ''}${s.transform === 'log' ? ' (log scale)' : ''}</li>`).join('')}</ul>
<div class="wrap"><table><caption>${r.rows.length} provider × model × host rows; generated ${esc(new Date(r.generatedAt).toISOString())}</caption>
<thead><tr><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Host</th><th scope="col">Metric</th><th scope="col">LSL</th><th scope="col">USL</th><th scope="col">Probes</th><th scope="col">Cp</th><th scope="col">Cpk</th><th scope="col">Pp</th><th scope="col">Ppk</th><th scope="col">Out of spec</th><th scope="col">Verdict</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="13">No probes of these providers on this day.</td></tr>'}
</tbody></table></div>
</body></html>
`;
}
