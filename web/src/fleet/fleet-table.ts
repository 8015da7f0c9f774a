import { LitElement, html, css } from 'lit';
import type { FleetRow } from './fleet-rows.ts';
import { formatAge, formatCount, formatCountOf, formatPercent, formatTime, NONE } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';

const HEALTH = { live: ['ok', 'live'], stale: ['warn', 'stale'], offline: ['bad', 'offline'] } as const;

/**
 * `<fleet-table>`: every agent with its health, last seen, lag, buffer depth, clock skew, series
 * (and samples refused beyond the series caps), CPU and GPU summary and open violations. Host names are buttons; the table scrolls sideways on
 * narrow screens with the host column kept in view, and there the refused count shows under the host too.
 *
 * @property rows - FleetRow[] from fleetRows()
 * @property now - the time "last seen" is measured against (ms)
 * @fires agent-select - detail {id}: the user opened a host
 */
export class FleetTable extends LitElement {
  static override properties = { rows: { attribute: false }, now: { type: Number } };
  static override styles = [panelStyles, css`
    .host { font-weight: 600; color: var(--accent); background: none; border: 0; padding: 0; min-height: 0; text-align: left; }
    .host:hover { text-decoration: underline; }
    td:first-child, th:first-child { position: sticky; left: 0; background: var(--panel); }
    .viol { color: var(--bad); font-weight: 600; }
    /* On a phone the Series column is off to the right: the refused count goes under the host, which stays in view. */
    .host-note { display: none; font-size: 12px; }
    @media (max-width: 700px) { .host-note { display: block; } }
  `];

  declare rows: readonly FleetRow[];
  declare now: number;

  constructor() {
    super();
    this.rows = [];
    this.now = Date.now();
  }

  override render() {
    return html`<section class="panel" aria-label="Fleet">
      <header><h2>Fleet</h2><span class="muted">${this.rows.length} agent${this.rows.length === 1 ? '' : 's'}</span></header>
      ${this.rows.length === 0 ? html`<div class="empty">No agents yet. Start one with <code>sigmascope agent --collector ws://…/ingest --token …</code>.</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Host</th><th scope="col">Status</th><th scope="col">Last seen</th><th class="num" scope="col">Lag</th>
          <th class="num" scope="col">Buffer</th><th class="num" scope="col">Clock skew</th><th class="num" scope="col">Series</th><th class="num" scope="col">CPU</th>
          <th class="num" scope="col">GPUs</th><th class="num" scope="col">Open violations</th></tr></thead>
        <tbody>${this.rows.map((r) => {
          const [cls, word] = HEALTH[r.health];
          return html`<tr>
            <th scope="row"><button type="button" class="host" title=${r.hostname} @click=${() => this.select(r.id)}>${r.name}</button>${r.refused > 0
              ? html`<div class="viol host-note">${formatCount(r.refused)} refused</div>`
              : ''}</th>
            <td><span class="dot ${cls}"></span>${word}</td>
            <td>${r.lastSeen === null ? NONE : html`${formatTime(r.lastSeen, this.now)} <span class="muted">(${formatAge(this.now - r.lastSeen)} ago)</span>`}</td>
            <td class="num mono">${formatAge(r.lagMs)}</td>
            <td class="num mono">${r.bufferFrames === null ? NONE : formatCountOf(r.bufferFrames, 'frame')}</td>
            <td class="num mono">${formatAge(r.clockSkewMs)}${r.quarantined > 0
              ? html`<div class="viol" title="Stamped too far ahead of the collector's clock: acknowledged, kept apart, not in the charts">${formatCount(r.quarantined)} quarantined</div>`
              : ''}</td>
            <td class="num mono">${r.series === null ? NONE : formatCount(r.series)}${r.refused > 0
              ? html`<div class="viol" title="Samples of new series beyond the collector's series cap (ingest.maxSeriesPerAgent, ingest.maxSeries): acknowledged, not stored">${formatCount(r.refused)} refused</div>`
              : ''}</td>
            <td class="num mono">${formatPercent(r.cpu)}</td>
            <td class="num mono">${r.gpuCount === 0 ? NONE : `${r.gpuCount} × ${formatPercent(r.gpuUtil, 0)}`}</td>
            <td class="num mono ${r.openViolations > 0 ? 'viol' : ''}">${r.openViolations}</td>
          </tr>`;
        })}</tbody>
      </table></div>`}
    </section>`;
  }

  private select(id: string): void {
    this.dispatchEvent(new CustomEvent('agent-select', { detail: { id }, bubbles: true, composed: true }));
  }
}
customElements.define('fleet-table', FleetTable);
