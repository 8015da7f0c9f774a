import { LitElement, html, css } from 'lit';
import type { Incident, IncidentEvidence } from '@sigmascope/protocol/incident';
import type { ChartSeries } from '../charts/series-datasets.ts';
import { seriesLabel } from '../charts/series-datasets.ts';
import type { TimeMarker } from '../charts/time-markers.ts';
import type { ViewRange } from '../charts/view-range.ts';
import { formatAge, formatNumber, formatTime, formatValue, unitOf } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import { badgeStyles, causeBadge, stateText } from './incident-badges.ts';
import '../charts/series-panel.ts';

/** Evidence rows shown before "All". */
const EVIDENCE_SHOWN = 15;

/** One chart of the incident, ready to draw. */
export interface DrawnPanel {
  readonly id: string;
  readonly heading: string;
  readonly series: readonly ChartSeries[];
}

/**
 * `<incident-detail>`: one incident: what it is (cause, state, confidence, the summary, when and
 * where), its evidence drawn on one time axis (every panel shares `bounds` and `markers`), the
 * evidence table (baseline against current per series), and for admins a note with Acknowledge
 * and Resolve.
 *
 * @property incident - the Incident
 * @property panels - DrawnPanel[], drawn top to bottom
 * @property bounds - the shared time axis {min, max}
 * @property markers - onset, opened, resolved (TimeMarker[])
 * @property hostNames - agent id → host name
 * @property editable - offer acknowledge/resolve (admin)
 * @property busy - a change is being sent
 * @property now - reference time for ages
 * @fires incident-state - detail {id, state, note}: the user acknowledged or resolved it
 */
export class IncidentDetail extends LitElement {
  static override properties = {
    incident: { attribute: false }, panels: { attribute: false }, bounds: { attribute: false }, markers: { attribute: false }, hostNames: { attribute: false },
    editable: { type: Boolean }, busy: { type: Boolean }, now: { type: Number }, note: { state: true }, allEvidence: { state: true },
  };
  static override styles = [panelStyles, badgeStyles, css`
    :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
    :host > *, .timeline > * { min-width: 0; }
    .title { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
    .summary { font-size: 16px; margin: 8px 0 10px; line-height: 1.4; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; font-size: 13px; }
    dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
    .act { display: grid; gap: 8px; margin-top: 12px; max-width: 640px; }
    .act textarea { font: inherit; color: var(--fg); background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 6px 8px; min-height: 56px; resize: vertical; }
    .act .buttons { display: flex; gap: 8px; flex-wrap: wrap; }
    .timeline { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
    .timeline series-panel { --chart-height: 220px; }
    td.series { white-space: normal; min-width: 200px; }
    @media (max-width: 640px) { .timeline series-panel { --chart-height: 190px; } }
  `];

  declare incident: Incident | null;
  declare panels: readonly DrawnPanel[];
  declare bounds: ViewRange | null;
  declare markers: readonly TimeMarker[];
  declare hostNames: ReadonlyMap<string, string>;
  declare editable: boolean;
  declare busy: boolean;
  declare now: number;
  declare note: string;
  declare allEvidence: boolean;

  constructor() {
    super();
    this.incident = null;
    this.panels = [];
    this.bounds = null;
    this.markers = [];
    this.hostNames = new Map();
    this.editable = false;
    this.busy = false;
    this.now = Date.now();
    this.note = '';
    this.allEvidence = false;
  }

  override render() {
    const i = this.incident;
    if (i === null) return html`<section class="panel"><div class="empty">Loading the incident…</div></section>`;
    const host = (a: string): string => this.hostNames.get(a) ?? a;
    return html`
      <section class="panel" aria-label="Incident">
        <div class="title">${causeBadge(i.cause)} ${stateText(i.state)} <span class="muted">confidence ${Math.round(i.confidence * 100)} %</span></div>
        <p class="summary">${i.summary}</p>
        <dl>
          <dt>Onset (estimated)</dt><dd>${formatTime(i.startedAt, this.now)} <span class="muted">(${formatAge(this.now - i.startedAt)} ago)</span></dd>
          <dt>Opened</dt><dd>${formatTime(i.openedAt, this.now)} <span class="muted">(${formatAge(i.openedAt - i.startedAt)} after the onset)</span></dd>
          <dt>Resolved</dt><dd>${i.resolvedAt === null ? html`<span class="muted">not yet, ${formatAge(this.now - i.startedAt)} so far</span>` : html`${formatTime(i.resolvedAt, this.now)} <span class="muted">(lasted ${formatAge(i.resolvedAt - i.startedAt)})</span>`}</dd>
          ${i.scope.provider !== null ? html`<dt>Provider</dt><dd>${i.scope.provider}${i.scope.model !== null ? ` / ${i.scope.model}` : ''}</dd>` : null}
          <dt>Hosts</dt><dd>${i.scope.agents.map(host).join(', ')}</dd>
          ${i.note ? html`<dt>Note</dt><dd>${i.note}</dd>` : null}
          <dt>Id</dt><dd class="mono">${i.id}</dd>
        </dl>
        ${this.editable && i.state !== 'resolved' ? html`<div class="act">
          <label for="note">Note (optional)</label>
          <textarea id="note" maxlength="2000" .value=${this.note} @input=${(e: Event) => { this.note = (e.target as HTMLTextAreaElement).value; }} placeholder="What you found, who is on it"></textarea>
          <div class="buttons">
            ${i.state === 'open' ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.change('acknowledged')}>Acknowledge</button>` : null}
            <button type="button" ?disabled=${this.busy} @click=${() => this.change('resolved')}>Resolve</button>
          </div>
        </div>` : null}
      </section>
      <div class="timeline" aria-label="Evidence on one time axis">
        ${this.panels.map((p) => html`<series-panel data-panel=${p.id} heading=${p.heading} .series=${p.series} .bounds=${this.bounds} .markers=${this.markers}></series-panel>`)}
      </div>
      ${this.evidenceTable(i.evidence, host)}`;
  }

  private evidenceTable(evidence: readonly IncidentEvidence[], host: (a: string) => string) {
    return html`<section class="panel" aria-label="Evidence">
      <header><h2>Evidence</h2><span class="muted">each series' baseline against its level when the incident was last updated, strongest first</span><span class="spacer"></span>
        ${evidence.length > EVIDENCE_SHOWN ? html`<button type="button" aria-pressed=${String(this.allEvidence)} @click=${() => { this.allEvidence = !this.allEvidence; }}>${this.allEvidence ? `First ${EVIDENCE_SHOWN}` : `All ${evidence.length}`}</button>` : null}</header>
      ${evidence.length === 0 ? html`<div class="empty">No evidence recorded.</div>` : html`<div class="table-wrap"><table>
        <thead><tr><th scope="col">Host</th><th scope="col">Series</th><th scope="col" class="num">Baseline</th><th scope="col" class="num">Current</th><th scope="col" class="num">Shift</th><th scope="col" class="num">Score</th></tr></thead>
        <tbody>${(this.allEvidence ? evidence : evidence.slice(0, EVIDENCE_SHOWN)).map((e) => {
          const unit = unitOf(e.name);
          const ratio = unit === 'seconds';
          return html`<tr>
            <td>${host(e.agent)}</td><td class="series" title=${e.name}>${seriesLabel(e)}</td>
            <td class="num mono">${formatValue(unit, e.baseline)}</td><td class="num mono">${formatValue(unit, e.current)}</td>
            <td class="num mono">${ratio ? `${e.shift.toFixed(2)}×` : `${e.shift >= 0 ? '+' : '−'}${formatValue(unit, Math.abs(e.shift))}`}</td>
            <td class="num mono">${formatNumber(e.score, 3)}</td>
          </tr>`;
        })}</tbody>
      </table></div>`}
    </section>`;
  }

  private change(state: 'acknowledged' | 'resolved'): void {
    const i = this.incident;
    if (i === null) return;
    this.dispatchEvent(new CustomEvent('incident-state', { detail: { id: i.id, state, note: this.note }, bubbles: true, composed: true }));
    this.note = '';
    this.allEvidence = false;
  }
}
customElements.define('incident-detail', IncidentDetail);
