import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Violation, ViolationState } from '../api/api-types.ts';
import { seriesLabel } from '../charts/series-datasets.ts';
import { ruleName, ruleNumber, ruleShort, RULE_STYLE } from '../charts/spc-view.ts';
import { formatAge, formatNumber, formatTime, formatValue, unitOf } from '../format/units.ts';
import { chartDefaultsFor } from '@sigmascope/protocol/spc/series-defaults';
import { isCounter } from '@sigmascope/protocol/counters';
import { panelStyles } from '../theme/panel-styles.ts';

/**
 * `<violations-list>`: SPC violations newest first: rule, series, host, when, value against the
 * centre, state, and buttons to acknowledge or resolve. A filter shows open ones or all.
 *
 * @property violations - Violation[] (newest first)
 * @property hostNames - agent id → host name
 * @property editable - show acknowledge/resolve (false on the agent's page: states are set on the collector and shown there as they arrive)
 * @property now - reference time for "ago"
 * @fires violation-state - detail {id, state}: the user asked to acknowledge or resolve
 * @fires series-select - detail {agent, name, labels, limits: {center, sigma, at}}: the user opened
 *   the violating series; `limits` are those the violation was raised with (chart units) and its time
 */
export class ViolationsList extends LitElement {
  static override properties = {
    violations: { attribute: false }, hostNames: { attribute: false }, editable: { type: Boolean }, now: { type: Number },
    heading: { type: String }, limit: { type: Number }, showAll: { state: true },
  };
  static override styles = [panelStyles, css`
    .mark { display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: middle; }
    .series { background: none; border: 0; padding: 0; color: var(--accent); min-height: 0; text-align: left; }
    .state-open { color: var(--bad); font-weight: 600; }
    .state-acknowledged { color: var(--warn); }
    .state-resolved { color: var(--muted); }
    td .actions { display: flex; gap: 4px; }
  `];

  declare violations: readonly Violation[];
  declare hostNames: ReadonlyMap<string, string>;
  declare editable: boolean;
  declare now: number;
  declare heading: string;
  declare limit: number;
  declare showAll: boolean;

  constructor() {
    super();
    this.violations = [];
    this.hostNames = new Map();
    this.editable = true;
    this.now = Date.now();
    this.heading = 'Violations';
    this.limit = 200;
    this.showAll = false;
  }

  override render() {
    const shown = this.violations.filter((v) => this.showAll || v.state === 'open').slice(0, this.limit);
    const open = this.violations.filter((v) => v.state === 'open').length;
    return html`<section class="panel" aria-label=${this.heading}>
      <header><h2>${this.heading}</h2><span class="muted">${open} open</span><span class="spacer"></span>
        <button type="button" aria-pressed=${String(!this.showAll)} @click=${() => { this.showAll = false; }}>Open</button>
        <button type="button" aria-pressed=${String(this.showAll)} @click=${() => { this.showAll = true; }}>All</button>
      </header>
      ${shown.length === 0 ? html`<div class="empty">${this.showAll ? 'No violations.' : 'No open violations.'}</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Rule</th><th scope="col">Series</th><th scope="col">Host</th><th scope="col">When</th>
          <th class="num" scope="col">Value</th><th class="num" scope="col">Centre ± σ</th><th scope="col">State</th>${this.editable ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : null}</tr></thead>
        <tbody>${repeat(shown, (v, i) => v.id ?? `at-${i}`, (v) => this.row(v))}</tbody>
      </table></div>`}
    </section>`;
  }

  private row(v: Violation) {
    const n = ruleNumber(v.rule);
    const unit = unitOf(v.name, isCounter(v.name));
    // A probe latency is watched on ln(seconds) (the default watch): read it back in seconds, σ as a factor.
    const log = chartDefaultsFor(v.name).transform === 'log' && unit === 'seconds';
    const value = log ? Math.exp(v.value) : v.value;
    const centre = log ? Math.exp(v.center) : v.center;
    const spread = log ? `×${formatNumber(Math.exp(v.sigma), 3)}` : unit === 'count' ? formatNumber(v.sigma) : formatValue(unit, v.sigma);
    return html`<tr data-id=${String(v.id ?? "")}>
      <td title=${ruleName(v.rule)}><span class="mark" style="background:${RULE_STYLE[n ?? 1]?.color}"></span>${ruleShort(v.rule)}</td>
      <td><button type="button" class="series" title=${v.name} @click=${() => this.fire('series-select', { agent: v.agent, name: v.name, labels: v.labels, limits: { center: v.center, sigma: v.sigma, at: v.ts } })}>${seriesLabel(v)}</button></td>
      <td>${this.hostNames.get(v.agent) ?? v.agent}</td>
      <td>${formatTime(v.ts, this.now)} <span class="muted">(${formatAge(this.now - v.ts)} ago)</span></td>
      <td class="num mono">${formatValue(unit, value)}</td>
      <td class="num mono" title=${log ? 'geometric centre; σ multiplies' : ''}>${formatValue(unit, centre)} ${log ? '' : '± '}${spread}</td>
      <td class="state-${v.state}">${v.state}</td>
      ${this.editable ? html`<td><span class="actions">
        ${v.state === 'open' ? html`<button type="button" @click=${() => this.setState(v, 'acknowledged')}>Acknowledge</button>` : null}
        ${v.state !== 'resolved' ? html`<button type="button" @click=${() => this.setState(v, 'resolved')}>Resolve</button>` : null}
      </span></td>` : null}
    </tr>`;
  }

  private setState(v: Violation, state: ViolationState): void {
    if (v.id !== undefined) this.fire('violation-state', { id: v.id, state });
  }

  private fire(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
customElements.define('violations-list', ViolationsList);
