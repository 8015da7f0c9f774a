import { LitElement, html, css } from 'lit';
import { RANGE_PRESETS, fromLocalInput, toLocalInput } from './time-range.ts';
import type { TimeRange } from './time-range.ts';
import { panelStyles } from '../theme/panel-styles.ts';

/**
 * `<time-range-picker>`: the span (5 min … 7 d), live mode (the range ends now and follows the
 * feed) or a fixed end time, and pause (freezes a live view; frames are held, not lost).
 *
 * @property range - the TimeRange shown
 * @property paused - whether the live view is paused
 * @property liveOnly - hide the span and end controls (the agent page keeps no history)
 * @fires range-change - detail TimeRange: a new span or end
 * @fires pause-change - detail {paused}
 */
export class TimeRangePicker extends LitElement {
  static override properties = { range: { attribute: false }, paused: { type: Boolean }, liveOnly: { type: Boolean, attribute: 'live-only' } };
  static override styles = [panelStyles, css`
    :host { display: inline-flex; }
    .row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    label { display: inline-flex; gap: 4px; align-items: center; }
  `];

  declare range: TimeRange;
  declare paused: boolean;
  declare liveOnly: boolean;

  constructor() {
    super();
    this.range = { spanMs: 15 * 60_000, end: null };
    this.paused = false;
    this.liveOnly = false;
  }

  override render() {
    const live = this.range.end === null;
    return html`<div class="row" role="group" aria-label="Time range">
      ${this.liveOnly ? null : html`
        <label><span class="sr-only">Span</span><select aria-label="Span" @change=${(e: Event) => this.emit({ ...this.range, spanMs: Number((e.target as HTMLSelectElement).value) })}>
          ${RANGE_PRESETS.map((p) => html`<option value=${p.spanMs} ?selected=${p.spanMs === this.range.spanMs}>Last ${p.label}</option>`)}
        </select></label>
        <button type="button" aria-pressed=${String(live)} @click=${() => this.emit({ ...this.range, end: live ? Date.now() : null })} title="Follow new samples as they arrive">● Live</button>
        ${live ? null : html`<label><span class="muted">until</span><input type="datetime-local" aria-label="End time" .value=${toLocalInput(this.range.end ?? Date.now())}
          @change=${(e: Event) => { const end = fromLocalInput((e.target as HTMLInputElement).value); if (end !== null) this.emit({ ...this.range, end }); }}></label>`}`}
      ${live ? html`<button type="button" aria-pressed=${String(this.paused)} @click=${this.togglePause} title="Freeze the view; new samples are kept">${this.paused ? '▶ Resume' : '❚❚ Pause'}</button>` : null}
    </div>`;
  }

  private emit(range: TimeRange): void {
    this.dispatchEvent(new CustomEvent('range-change', { detail: range, bubbles: true, composed: true }));
  }

  private togglePause(): void {
    this.dispatchEvent(new CustomEvent('pause-change', { detail: { paused: !this.paused }, bubbles: true, composed: true }));
  }
}
customElements.define('time-range-picker', TimeRangePicker);
