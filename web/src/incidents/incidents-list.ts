import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Incident } from '@sigmascope/protocol/incident';
import { formatAge, formatTime } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import { routeHref } from '../pages/route.ts';
import { badgeStyles, causeBadge, stateText } from './incident-badges.ts';

/**
 * `<incidents-list>`: incidents newest first: state, cause, the summary (a link to the
 * incident), the hosts, when it started and for how long, confidence. Open ones or all.
 *
 * @property incidents - Incident[] (newest first)
 * @property hostNames - agent id → host name
 * @property all - showing resolved ones too
 * @property loaded - false until the first answer (then "none" means none)
 * @property now - reference time for ages and durations
 * @fires incidents-filter - detail {all}: the user switched between open and all
 */
export class IncidentsList extends LitElement {
  static override properties = { incidents: { attribute: false }, hostNames: { attribute: false }, all: { type: Boolean }, loaded: { type: Boolean }, now: { type: Number } };
  static override styles = [panelStyles, badgeStyles, css`
    td.summary { white-space: normal; min-width: 260px; max-width: 620px; }
    td.summary a { color: var(--fg); text-decoration: none; }
    td.summary a:hover, td.summary a:focus-visible { text-decoration: underline; color: var(--accent); }
    @media (max-width: 640px) { .wide { display: none; } td.summary { min-width: 180px; } }
  `];

  declare incidents: readonly Incident[];
  declare hostNames: ReadonlyMap<string, string>;
  declare all: boolean;
  declare loaded: boolean;
  declare now: number;

  constructor() {
    super();
    this.incidents = [];
    this.hostNames = new Map();
    this.all = false;
    this.loaded = false;
    this.now = Date.now();
  }

  override render() {
    const open = this.incidents.filter((i) => i.state !== 'resolved').length;
    return html`<section class="panel" aria-label="Incidents">
      <header><h2>Incidents</h2><span class="muted">${open} not resolved</span><span class="spacer"></span>
        <button type="button" aria-pressed=${String(!this.all)} @click=${() => this.filter(false)}>Open</button>
        <button type="button" aria-pressed=${String(this.all)} @click=${() => this.filter(true)}>All</button>
      </header>
      ${this.incidents.length === 0 ? html`<div class="empty">${!this.loaded ? 'Loading…' : this.all ? 'No incidents in the last 30 days.' : 'No open incidents: every provider, host and path is in control.'}</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">State</th><th scope="col">Cause</th><th scope="col">What</th><th scope="col" class="wide">Hosts</th>
          <th scope="col">Started</th><th scope="col" class="wide">Lasted</th><th scope="col" class="num wide">Confidence</th></tr></thead>
        <tbody>${repeat(this.incidents, (i) => i.id, (i) => this.row(i))}</tbody>
      </table></div>`}
    </section>`;
  }

  private row(i: Incident) {
    const hosts = i.scope.agents.map((a) => this.hostNames.get(a) ?? a);
    return html`<tr data-id=${i.id}>
      <td>${stateText(i.state)}</td>
      <td>${causeBadge(i.cause)}</td>
      <td class="summary"><a href=${routeHref({ view: 'incident', id: i.id })}>${i.summary}</a></td>
      <td class="wide">${hosts.length <= 3 ? hosts.join(', ') : `${hosts.slice(0, 3).join(', ')} +${hosts.length - 3}`}</td>
      <td>${formatTime(i.startedAt, this.now)} <span class="muted">(${formatAge(this.now - i.startedAt)} ago)</span></td>
      <td class="wide">${formatAge((i.resolvedAt ?? this.now) - i.startedAt)}${i.resolvedAt === null ? html` <span class="muted">so far</span>` : null}</td>
      <td class="num mono wide">${Math.round(i.confidence * 100)} %</td>
    </tr>`;
  }

  private filter(all: boolean): void {
    this.dispatchEvent(new CustomEvent('incidents-filter', { detail: { all }, bubbles: true, composed: true }));
  }
}
customElements.define('incidents-list', IncidentsList);
