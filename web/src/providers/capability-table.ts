import { LitElement, html, css } from 'lit';
import { formatCount, formatValue, NONE, unitOf } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import type { CapabilityReport, CapabilityRow } from '@sigmascope/protocol/capability-report';

const index = (v: number | null) => {
  const tone = v === null ? '' : v >= 1.33 ? 'good' : v >= 1 ? 'fair' : 'poor';
  return html`<td class="num mono ${tone}">${v === null ? NONE : v.toFixed(2)}</td>`;
};
const specText = (x: CapabilityRow): string => {
  const f = (v: number): string => formatValue(unitOf(x.metric), v);
  if (x.lsl !== null && x.usl !== null) return `${f(x.lsl)} – ${f(x.usl)}`;
  return x.usl !== null ? `≤ ${f(x.usl)}` : `≥ ${f(x.lsl as number)}`;
};
const metricShort = (m: string): string => m.replace(/^gen_ai\.client\.operation\./, '').replace(/^sigmascope\.probe\./, '');

/**
 * `<capability-table>`: process capability of each provider × model × host against the SLOs
 * (Cp, Cpk, Pp, Ppk; ≥ 1.33 capable, 1–1.33 marginal, below 1 not), with links to the day's
 * report as CSV and HTML. Renders nothing without SLOs: capability needs real spec limits.
 *
 * @property report - CapabilityReport from GET /api/v1/slo/report, or null
 */
export class CapabilityTable extends LitElement {
  static override properties = { report: { attribute: false } };
  static override styles = [panelStyles, css`
    .good { color: var(--ok); } .fair { color: var(--warn); } .poor { color: var(--bad); font-weight: 600; }
    a { color: var(--accent); }
  `];

  declare report: CapabilityReport | null;

  constructor() {
    super();
    this.report = null;
  }

  override render() {
    const r = this.report;
    if (r === null || r.slos.length === 0) return null;
    const q = `day=${encodeURIComponent(r.day)}`;
    return html`<section class="panel" aria-label="Capability against SLOs">
      <header><h2>Capability against SLOs</h2><span class="muted">${r.day} (UTC), one point per probe</span><span class="spacer"></span>
        <a href=${`/api/v1/slo/report?${q}&format=html`} target="_blank" rel="noopener">report</a><a href=${`/api/v1/slo/report?${q}&format=csv`}>CSV</a></header>
      ${r.rows.length === 0 ? html`<div class="empty">No probes of the SLOs' providers on this day.</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Host</th><th scope="col">Metric</th><th class="num" scope="col">Spec</th><th class="num" scope="col">Probes</th>
          <th class="num" scope="col">Cp</th><th class="num" scope="col">Cpk</th><th class="num" scope="col">Pp</th><th class="num" scope="col">Ppk</th><th class="num" scope="col">Out of spec</th></tr></thead>
        <tbody>${r.rows.map((x) => html`<tr title=${x.error ?? ''}><th scope="row">${x.provider}</th><td>${x.model}</td><td>${x.host}</td><td>${metricShort(x.metric)}</td>
          <td class="num mono">${specText(x)}</td><td class="num mono">${formatCount(x.n)}</td>
          ${index(x.cp)}${index(x.cpk)}${index(x.pp)}${index(x.ppk)}<td class="num mono">${formatCount(x.outOfSpec)}</td></tr>`)}</tbody>
      </table></div>`}
    </section>`;
  }
}
customElements.define('capability-table', CapabilityTable);
