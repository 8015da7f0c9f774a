import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatAge, formatTime } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import { channelStates, matchersText, parseMatchers, silenceMatchersFor, sortAlerts, suppressionText } from './alert-lines.ts';
import type { AlertView, Silence } from '@sigmascope/protocol/alert-view';

const DURATIONS = [['1h', 3_600_000], ['4h', 4 * 3_600_000], ['1d', 86_400_000], ['1w', 7 * 86_400_000]] as const;

/**
 * `<alerts-view>`: firing and resolved alerts, each with its channels' delivery state (delivered,
 * retrying with the receiver's error, given up and why), and the silences. Admins acknowledge
 * alerts, create silences (from scratch or "like this alert") and expire them.
 *
 * @property alerts - AlertView[] from GET /api/v1/alerts
 * @property silences - Silence[] from GET /api/v1/silences
 * @property editable - the admin's buttons and form
 * @property now - reference time for "ago"
 * @fires alert-ack - detail {id}
 * @fires silence-create - detail {matchers, endsAt, comment}
 * @fires silence-expire - detail {id}
 */
export class AlertsView extends LitElement {
  static override properties = {
    alerts: { attribute: false }, silences: { attribute: false }, editable: { type: Boolean }, now: { type: Number },
    showResolved: { state: true }, draft: { state: true }, comment: { state: true }, formError: { state: true },
  };
  static override styles = [panelStyles, css`
    :host { display: grid; gap: 12px; }
    .state-firing { color: var(--bad); font-weight: 600; }
    .state-resolved { color: var(--muted); }
    .chips { display: flex; flex-wrap: wrap; gap: 4px 10px; }
    .chip { white-space: nowrap; font-size: 13px; }
    td.summary { white-space: normal; min-width: 260px; max-width: 560px; }
    td.why { white-space: normal; }
    .note { font-size: 12px; }
    form { display: grid; gap: 8px; grid-template-columns: minmax(0, 1fr); }
    label { display: grid; gap: 3px; font-size: 13px; color: var(--muted); }
    textarea { font: inherit; font-family: var(--mono); color: var(--fg); background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 6px; min-height: 44px; }
    .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
    .error { color: var(--bad); }
    /* A phone shows each alert as a card: every channel's state in view, no sideways scrolling. */
    @media (max-width: 640px) {
      thead { display: none; }
      tbody tr { display: block; padding: 8px 0; border-bottom: 1px solid var(--border); }
      tbody td { display: block; border: 0; padding: 2px 0; white-space: normal; }
      td.summary { min-width: 0; max-width: none; }
      .chip { white-space: normal; }
    }
  `];

  declare alerts: readonly AlertView[];
  declare silences: readonly Silence[];
  declare editable: boolean;
  declare now: number;
  declare showResolved: boolean;
  declare draft: string;
  declare formError: string | null;
  declare comment: string;
  private duration = 4 * 3_600_000;

  constructor() {
    super();
    this.alerts = [];
    this.silences = [];
    this.editable = false;
    this.now = Date.now();
    this.showResolved = true;
    this.draft = '';
    this.formError = null;
    this.comment = '';
  }

  override render() {
    const all = sortAlerts(this.alerts);
    const firing = all.filter((a) => a.state === 'firing').length;
    const shown = this.showResolved ? all : all.filter((a) => a.state === 'firing');
    return html`
      <section class="panel" aria-label="Alerts">
        <header><h2>Alerts</h2><span class="muted">${firing} firing</span><span class="spacer"></span>
          <button type="button" aria-pressed=${String(!this.showResolved)} @click=${() => { this.showResolved = false; }}>Firing</button>
          <button type="button" aria-pressed=${String(this.showResolved)} @click=${() => { this.showResolved = true; }}>All</button>
        </header>
        ${shown.length === 0 ? html`<div class="empty">${this.showResolved ? 'No alerts in the last 7 days.' : 'Nothing is firing.'} Rules and channels are set in the collector's <code>alerts:</code> config.</div>` : html`
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">State</th><th scope="col">Rule</th><th scope="col">Summary</th><th scope="col">Since</th><th scope="col">Channels</th>${this.editable ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : null}</tr></thead>
          <tbody>${repeat(shown, (a) => a.id, (a) => this.alertRow(a))}</tbody>
        </table></div>`}
      </section>
      <section class="panel" aria-label="Silences">
        <header><h2>Silences</h2><span class="muted">${this.silences.filter((s) => s.endsAt > this.now).length} active</span></header>
        ${this.silences.length === 0 ? html`<div class="empty">No silences.</div>` : html`
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Matchers</th><th scope="col">Until</th><th scope="col">By</th><th scope="col">Comment</th>${this.editable ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : null}</tr></thead>
          <tbody>${repeat(this.silences, (s) => s.id, (s) => this.silenceRow(s))}</tbody>
        </table></div>`}
        ${this.editable ? this.form() : null}
      </section>`;
  }

  private alertRow(a: AlertView) {
    const quiet = a.state === 'firing' ? suppressionText(a) : null;
    return html`<tr data-alert=${a.id}>
      <td class="state-${a.state}">${a.state}${a.acknowledged ? html`<div class="muted note">acknowledged by ${a.acknowledged.by}</div>` : null}</td>
      <td>${a.rule}</td>
      <td class="summary">${a.summary}${quiet ? html`<div class="muted note">${quiet}</div>` : null}</td>
      <td>${formatTime(a.startsAt, this.now)} <span class="muted">(${formatAge((a.endsAt ?? this.now) - a.startsAt)}${a.endsAt === null ? '' : ', resolved'})</span></td>
      <td><div class="chips">${channelStates(a).map((c) => html`<span class="chip" title=${c.detail}><span class="dot ${c.tone}"></span>${c.channel}: ${c.text}</span>`)}
        ${a.deliveries.length === 0 ? html`<span class="muted">${quiet ? 'none (held back)' : 'none'}</span>` : null}</div>
        ${channelStates(a).filter((c) => c.tone !== 'ok' && c.detail).map((c) => html`<div class="muted note">${c.channel}: ${c.detail}</div>`)}</td>
      ${this.editable ? html`<td><span class="row">
        ${a.state === 'firing' && a.acknowledged === null ? html`<button type="button" @click=${() => this.fire('alert-ack', { id: a.id })}>Acknowledge</button>` : null}
        <button type="button" @click=${() => { this.draft = matchersText(silenceMatchersFor(a)); this.formError = null; }}>Silence…</button>
      </span></td>` : null}
    </tr>`;
  }

  private silenceRow(s: Silence) {
    const active = s.endsAt > this.now;
    return html`<tr data-silence=${s.id}>
      <td class="mono">${matchersText(s.matchers)}</td>
      <td>${active ? html`${formatTime(s.endsAt, this.now)} <span class="muted">(${formatAge(s.endsAt - this.now)} left)</span>` : html`<span class="muted">ended ${formatTime(s.endsAt, this.now)}</span>`}</td>
      <td>${s.createdBy}</td>
      <td class="why">${s.comment}</td>
      ${this.editable ? html`<td>${active ? html`<button type="button" @click=${() => this.fire('silence-expire', { id: s.id })}>Expire</button>` : null}</td>` : null}
    </tr>`;
  }

  private form() {
    return html`<form @submit=${(e: Event) => this.submit(e)} aria-label="New silence">
      <label>Matchers (label=value, * and ? match anything)
        <textarea name="matchers" .value=${this.draft} @input=${(e: Event) => { this.draft = (e.target as HTMLTextAreaElement).value; }} placeholder="rule=gpu-hot, agent=gpu-*"></textarea></label>
      <div class="row">
        <label>For <select name="duration" @change=${(e: Event) => { this.duration = Number((e.target as HTMLSelectElement).value); }}>
          ${DURATIONS.map(([t, ms]) => html`<option value=${ms} ?selected=${ms === this.duration}>${t}</option>`)}</select></label>
        <label style="flex:1">Comment <input name="comment" .value=${this.comment} @input=${(e: Event) => { this.comment = (e.target as HTMLInputElement).value; }}></label>
        <button type="submit">Create silence</button>
      </div>
      ${this.formError ? html`<div class="error" role="alert">${this.formError}</div>` : null}
    </form>`;
  }

  private submit(e: Event): void {
    e.preventDefault();
    const parsed = parseMatchers(this.draft);
    if (!parsed.ok) {
      this.formError = parsed.error;
      return;
    }
    this.formError = null;
    this.fire('silence-create', { matchers: parsed.matchers, endsAt: Date.now() + this.duration, comment: this.comment });
    this.draft = '';
    this.comment = '';
  }

  private fire(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
customElements.define('alerts-view', AlertsView);
