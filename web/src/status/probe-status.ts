import { LitElement, html, css } from 'lit';
import { formatAge, formatCount, formatSeconds, NONE } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import type { ProbeTargetStatus } from '@sigmascope/protocol/probe-target-status';

const STATE: Readonly<Record<string, string>> = { waiting: 'ok', running: 'ok', backoff: 'warn', no_key: 'bad', budget_exhausted: 'warn', stopped: 'warn' };

/**
 * `<probe-status>`: the agent's probe targets, for an operator on the box: each target's
 * endpoint, state, last run (when, ok or its error type and HTTP status, TTFT and total), runs
 * and failures (in a row), today's tokens against the daily budget, and when it runs next.
 *
 * @property probes - `{targets, pricesAsOf}` from /api/status, or null
 * @property now - reference time for ages
 */
export class ProbeStatus extends LitElement {
  static override properties = { probes: { attribute: false }, now: { type: Number } };
  static override styles = [panelStyles, css`
    .err { color: var(--bad); }
    .bar { display: inline-block; width: 60px; height: 6px; border-radius: 3px; background: var(--grid); overflow: hidden; vertical-align: middle; margin-left: 6px; }
    .bar > span { display: block; height: 100%; background: var(--accent); }
    td.endpoint { max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
  `];

  declare probes: { readonly targets?: readonly ProbeTargetStatus[]; readonly pricesAsOf?: string } | null;
  declare now: number;

  constructor() {
    super();
    this.probes = null;
    this.now = Date.now();
  }

  override render() {
    const targets = this.probes?.targets ?? [];
    return html`<section class="panel" aria-label="Probes">
      <header><h2>Probes</h2><span class="muted">${targets.length} target${targets.length === 1 ? '' : 's'}${this.probes?.pricesAsOf ? ` · prices as of ${this.probes.pricesAsOf}` : ''}</span></header>
      ${targets.length === 0 ? html`<div class="empty">No probe targets: add <code>probes.targets</code> to the agent config (docs/probes.md).</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Target</th><th scope="col">Endpoint</th><th scope="col">State</th><th scope="col">Last run</th>
          <th class="num" scope="col">TTFT</th><th class="num" scope="col">Total</th><th class="num" scope="col">Runs</th><th class="num" scope="col">Failures</th>
          <th class="num" scope="col">Tokens today / budget</th><th scope="col">Next</th></tr></thead>
        <tbody>${targets.map((t) => {
          const l = t.last;
          const failed = l !== null && l.status !== 'ok';
          const used = t.dailyTokenBudget > 0 ? Math.min(1, t.tokensToday / t.dailyTokenBudget) : 0;
          return html`<tr>
            <th scope="row">${t.name}<div class="muted">${t.provider} · ${t.model}</div></th>
            <td class="endpoint mono" title=${t.endpoint ?? ''}>${t.endpoint ?? NONE}</td>
            <td><span class="dot ${STATE[t.state] ?? 'warn'}"></span>${t.state.replace('_', ' ')}</td>
            <td>${l === null ? NONE : html`${formatAge(this.now - l.startedAt)} ago, <span class=${failed ? 'err' : ''}>${failed ? `${l.errorType ?? l.status}${l.httpStatus ? ` (HTTP ${l.httpStatus})` : ''}` : 'ok'}</span>`}</td>
            <td class="num mono">${l?.ttftMs == null ? NONE : formatSeconds(l.ttftMs / 1000)}</td>
            <td class="num mono">${l === null ? NONE : formatSeconds(l.totalMs / 1000)}</td>
            <td class="num mono">${formatCount(t.runs)}</td>
            <td class="num mono ${t.consecutiveFailures > 0 ? 'err' : ''}">${formatCount(t.failures)}${t.consecutiveFailures > 0 ? ` (${t.consecutiveFailures} in a row)` : ''}</td>
            <td class="num mono">${formatCount(t.tokensToday)} / ${formatCount(t.dailyTokenBudget)}<span class="bar" role="meter" aria-label="budget used" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(used * 100)}><span style="width:${used * 100}%"></span></span></td>
            <td>${t.nextRunAt === null ? NONE : `in ${formatAge(Math.max(0, t.nextRunAt - this.now))}`}</td>
          </tr>`;
        })}</tbody>
      </table></div>`}
    </section>`;
  }
}
customElements.define('probe-status', ProbeStatus);
