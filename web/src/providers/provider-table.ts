import { LitElement, html, css } from 'lit';
import { sortLines } from './provider-rows.ts';
import { PROBES_SNIPPET, START_SNIPPET } from './provider-table-snippet.ts';
import type { ProviderLine, SortKey } from './provider-rows.ts';
import { formatCount, formatPercent, formatSeconds, formatNumber, NONE } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import { joulesText, joulesTitle } from '../analytics/energy-text.ts';

const COLUMNS: readonly { key: SortKey; title: string; num: boolean; cell: (l: ProviderLine) => string; hint?: (l: ProviderLine) => string }[] = [
  { key: 'provider', title: 'Provider', num: false, cell: (l) => l.provider },
  { key: 'model', title: 'Model', num: false, cell: (l) => l.model },
  { key: 'host', title: 'Host', num: false, cell: (l) => l.host },
  { key: 'probes', title: 'Probes', num: true, cell: (l) => formatCount(l.probes) },
  { key: 'errorRate', title: 'Errors', num: true, cell: (l) => formatPercent(l.errorRate) },
  { key: 'ttftP50', title: 'TTFT p50', num: true, cell: (l) => formatSeconds(l.ttft.p50) },
  { key: 'ttftP95', title: 'p95', num: true, cell: (l) => formatSeconds(l.ttft.p95) },
  { key: 'ttftP99', title: 'p99', num: true, cell: (l) => formatSeconds(l.ttft.p99) },
  { key: 'durationP50', title: 'Total p50', num: true, cell: (l) => formatSeconds(l.duration.p50) },
  { key: 'durationP95', title: 'p95', num: true, cell: (l) => formatSeconds(l.duration.p95) },
  { key: 'durationP99', title: 'p99', num: true, cell: (l) => formatSeconds(l.duration.p99) },
  { key: 'tokensPerSecond', title: 'Tokens/s', num: true, cell: (l) => formatNumber(l.tokensPerSecond, 3) },
  { key: 'joulesPerToken', title: 'J/token', num: true, cell: (l) => joulesText(l), hint: (l) => joulesTitle(l.energy) },
  { key: 'costUsd', title: 'Cost', num: true, cell: (l) => (l.costUsd === null ? NONE : `$${l.costUsd.toFixed(4)}`) },
];

/**
 * `<provider-table>`: providers side by side, per provider × model × host: TTFT and total
 * latency p50/p95/p99, tokens/s, energy per output token (models the host serves itself), error
 * rate and cost. Column headers sort (click or Enter).
 *
 * @property rows - ProviderLine[] from providerLines()
 * @fires provider-select - detail {agent, provider, model}: the user opened a provider's series
 */
export class ProviderTable extends LitElement {
  static override properties = { rows: { attribute: false }, sortKey: { state: true }, sortDir: { state: true }, copied: { state: true } };
  static override styles = [panelStyles, css`
    th button { all: unset; cursor: pointer; }
    th button:focus-visible { outline: 2px solid var(--focus); }
    td:first-child, th:first-child { position: sticky; left: 0; background: var(--panel); }
    a { cursor: pointer; }
    .snippet { font-family: var(--mono); font-size: 12px; background: var(--grid); color: var(--fg); padding: 8px 10px; border-radius: 6px; overflow-x: auto; white-space: pre; margin: 6px 0; }
    .empty p { margin: 6px 0; }
  `];

  declare rows: readonly ProviderLine[];
  declare sortKey: SortKey;
  declare sortDir: 'asc' | 'desc';
  declare copied: boolean;

  constructor() {
    super();
    this.copied = false;
    this.rows = [];
    this.sortKey = 'ttftP50';
    this.sortDir = 'asc';
  }

  override render() {
    const lines = sortLines(this.rows, this.sortKey, this.sortDir);
    return html`<section class="panel" aria-label="Providers">
      <header><h2>Providers</h2><span class="muted">latency in the selected range, per provider × model × host</span></header>
      ${lines.length === 0 ? html`<div class="empty">
        <p>No provider probes in this range. To probe one, save this as <code>agent.yaml</code> (keep the targets you use):</p>
        <pre class="snippet" aria-label="agent.yaml">${PROBES_SNIPPET}</pre>
        <button type="button" @click=${this.copySnippet}>${this.copied ? 'Copied' : 'Copy'}</button>
        <p>then give the keys (read from stdin, never from the command line) and restart with the file:</p>
        <pre class="snippet">${START_SNIPPET}</pre>
        <p class="muted">On a fleet host: <code>sigmascope agent --config agent.yaml</code>. Every option: docs/probes.md.</p>
      </div>` : html`
      <div class="table-wrap"><table>
        <thead><tr>${COLUMNS.map((c) => {
          const sorted = c.key === this.sortKey;
          return html`<th scope="col" class=${c.num ? 'num' : ''} aria-sort=${sorted ? (this.sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button type="button" @click=${() => this.sort(c.key)}>${c.title}${sorted ? (this.sortDir === 'asc' ? ' ▲' : ' ▼') : ''}</button></th>`;
        })}</tr></thead>
        <tbody>${lines.map((l) => html`<tr>${COLUMNS.map((c, i) => i === 0
          ? html`<th scope="row"><a tabindex="0" role="link" @click=${() => this.select(l)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.select(l)}>${c.cell(l)}</a></th>`
          : html`<td class=${c.num ? 'num mono' : ''} title=${c.hint?.(l) ?? ''}>${c.cell(l)}</td>`)}</tr>`)}</tbody>
      </table></div>`}
    </section>`;
  }

  private copySnippet(): void {
    void navigator.clipboard?.writeText(PROBES_SNIPPET).then(() => { this.copied = true; }, () => undefined);
  }

  private sort(key: SortKey): void {
    if (key === this.sortKey) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    else { this.sortKey = key; this.sortDir = 'asc'; }
  }

  private select(l: ProviderLine): void {
    this.dispatchEvent(new CustomEvent('provider-select', { detail: { agent: l.agent, provider: l.provider, model: l.model }, bubbles: true, composed: true }));
  }
}
customElements.define('provider-table', ProviderTable);
