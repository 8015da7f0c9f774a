import { LitElement, html, css } from 'lit';
import { panelStyles } from '../theme/panel-styles.ts';
import { formatAge } from '../format/units.ts';
import type { CapacityResult } from './analytics-types.ts';
import { capacityLines } from './capacity-lines.ts';

/**
 * `<capacity-row>`: one host's "when will we run out?": GPU memory and KV cache against full,
 * probe spend against its budget by midnight, where TTFT is heading, each with the forecast's
 * interval (capacity-lines.ts words them).
 *
 * @property result - the JSON of GET /api/v1/capacity; null shows "loading"
 * @property heading - title
 */
export class CapacityRow extends LitElement {
  static override properties = { result: { attribute: false }, heading: { type: String } };
  static override styles = [panelStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px; }
    li { border: 1px solid var(--border); border-radius: 6px; padding: 6px 8px; font-size: 13px; min-width: 0; }
    .title { font-weight: 600; }
    .now { font-family: var(--mono); font-variant-numeric: tabular-nums; }
    .outlook { color: var(--muted); overflow-wrap: anywhere; }
    li.tone-warn { border-color: var(--warn); }
    li.tone-bad { border-color: var(--bad); }
  `];

  declare result: CapacityResult | null;
  declare heading: string;

  constructor() {
    super();
    this.result = null;
    this.heading = 'Capacity';
  }

  override render() {
    const lines = this.result === null ? null : capacityLines(this.result);
    return html`<section class="panel" aria-label=${this.heading}>
      <header><h2>${this.heading}</h2><span class="muted">${this.result ? `forecast from the last ${formatAge(this.result.lookbackMs)}, up to ${formatAge(this.result.horizonMs)} ahead` : ''}</span></header>
      ${lines === null ? html`<div class="empty">Loading capacity…</div>` : lines.length === 0 ? html`<div class="empty">No GPU memory, KV cache, probe spend or latency to forecast yet.</div>` : html`<ul>
        ${lines.map((l) => html`<li class="tone-${l.tone}" title=${l.hint}><span class="dot ${l.tone}"></span><span class="title">${l.title}</span> <span class="now">${l.now}</span><div class="outlook">${l.outlook}</div></li>`)}
      </ul>`}
    </section>`;
  }
}
customElements.define('capacity-row', CapacityRow);
