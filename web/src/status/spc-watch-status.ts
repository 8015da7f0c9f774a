import { LitElement, html, css } from 'lit';
import { seriesLabel } from '../charts/series-datasets.ts';
import { ruleShort } from '../charts/spc-view.ts';
import { formatAge, formatNumber, formatTime, formatValue, unitOf } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';

/** One watched series as /api/status reports it (agent/src/spc/spc-watch.ts SpcSeriesStatus). */
export interface WatchedSeriesInfo {
  readonly key: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly chart: string;
  readonly subgroup: number;
  readonly transform: string;
  readonly phase: 'baseline' | 'monitoring';
  readonly baselinePoints: number;
  readonly baselineTarget: number;
  readonly center: number | null;
  readonly sigma: number | null;
  readonly baselinedAt: number;
  readonly violations: Readonly<Record<string, number>>;
  readonly recent: readonly { readonly rule: string; readonly ts: number; readonly value: number }[];
}

/**
 * `<spc-watch-status>`: what the agent's SPC watch is doing, series by series: the chart it keeps
 * (X̄-S of 20, individuals of ln), whether its baseline is still filling or frozen, the centre and
 * σ it judges against (in the data's units), the hits per rule and the last one, and a button to
 * start a new baseline (after a deploy, a new model, a new batch size).
 *
 * @property spc - `{enabled, series, untracked, events}` from /api/status, or null
 * @property now - reference time for ages
 * @fires rebaseline - detail {key}: the user asked for a new baseline of that series
 */
export class SpcWatchStatus extends LitElement {
  static override properties = { spc: { attribute: false }, now: { type: Number } };
  static override styles = [panelStyles, css`
    .hits { color: var(--bad); font-weight: 600; }
  `];

  declare spc: { readonly enabled?: boolean; readonly series?: readonly WatchedSeriesInfo[]; readonly untracked?: number; readonly events?: number } | null;
  declare now: number;

  constructor() {
    super();
    this.spc = null;
    this.now = Date.now();
  }

  override render() {
    const series = this.spc?.series ?? [];
    const enabled = this.spc?.enabled !== false;
    return html`<section class="panel" aria-label="SPC watch">
      <header><h2>SPC watch</h2><span class="muted">${enabled ? `${series.length} series watched${this.spc?.untracked ? `, ${this.spc.untracked} over maxSeries` : ''} · ${formatNumber(this.spc?.events ?? 0)} events sent` : 'disabled (spc.enabled: false)'}</span></header>
      ${series.length === 0 ? html`<div class="empty">${enabled ? 'No watched series has reported yet.' : 'The SPC watch is off.'}</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Series</th><th scope="col">Chart</th><th scope="col">Baseline</th><th class="num" scope="col">Centre ± σ</th>
          <th scope="col">Hits by rule</th><th scope="col">Last hit</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${series.map((s) => {
          const unit = unitOf(s.name);
          const log = s.transform === 'log';
          const centre = s.center === null ? null : log ? Math.exp(s.center) : s.center;
          const spread = s.sigma === null ? '' : log ? ` ×${formatNumber(Math.exp(s.sigma), 3)}` : ` ± ${unit === 'count' ? formatNumber(s.sigma) : formatValue(unit, s.sigma)}`;
          const hits = Object.entries(s.violations).filter(([, n]) => n > 0);
          const last = s.recent[s.recent.length - 1];
          return html`<tr data-key=${s.key}>
            <th scope="row" title=${s.key}>${seriesLabel(s)}</th>
            <td>${s.chart === 'individuals' ? 'individuals' : `${s.chart} of ${s.subgroup}`}${log ? ' of ln' : ''}</td>
            <td>${s.phase === 'baseline' ? html`<span class="muted">filling ${s.baselinePoints} / ${s.baselineTarget}</span>` : `frozen, since ${formatAge(this.now - s.baselinedAt)}`}</td>
            <td class="num mono">${centre === null ? '—' : `${formatValue(unit, centre)}${spread}`}</td>
            <td class=${hits.length > 0 ? 'hits' : 'muted'}>${hits.length === 0 ? 'none' : hits.map(([r, n]) => `${ruleShort(r)} ×${n}`).join(', ')}</td>
            <td>${last ? `${formatTime(last.ts, this.now)} (${ruleShort(last.rule)})` : '—'}</td>
            <td><button type="button" title="Forget the limits and take the next points as the new baseline" @click=${() => this.dispatchEvent(new CustomEvent('rebaseline', { detail: { key: s.key }, bubbles: true, composed: true }))}>Re-baseline</button></td>
          </tr>`;
        })}</tbody>
      </table></div>`}
    </section>`;
  }
}
customElements.define('spc-watch-status', SpcWatchStatus);
