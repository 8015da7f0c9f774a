import { LitElement, html } from 'lit';
import { panelStyles } from '../theme/panel-styles.ts';
import type { TargetSummary } from '@sigmascope/protocol/bench-records';
import type { StoredRun } from './runs-api.ts';

const ms = (v: number | null | undefined, d = 1): string => (v === null || v === undefined ? '—' : v.toFixed(d));

/**
 * `<run-summary-table>`: a run's summary per target (and per sweep stage): requests, errors,
 * TTFT, TPOT, ITL and end-to-end percentiles in ms, throughput, goodput and the check pass rate.
 *
 * @property run - StoredRun
 */
export class RunSummaryTable extends LitElement {
  static override properties = { run: { attribute: false } };
  static override styles = panelStyles;
  declare run: StoredRun | null;

  constructor() {
    super();
    this.run = null;
  }

  override render() {
    const run = this.run;
    if (run === null) return null;
    const rows: [string, TargetSummary][] = Object.entries(run.summary).flatMap(([t, s]) => [[t, s] as [string, TargetSummary], ...(s.stages ?? []).map((st) => [`  @ ${st.rate}/s`, st] as [string, TargetSummary])]);
    const head = ['Target', 'Requests', 'Errors', 'TTFT p50', 'TTFT p95', 'TTFT p99', 'TPOT p50', 'ITL p50', 'E2E p50', 'E2E p95', 'Req/s', 'Tok/s', 'Goodput/s', 'Checks'];
    return html`<section class="panel" aria-label="Summary">
      <header><h2>Summary</h2><span class="muted">times in ms · warm-up (${run.warmup.requests} per target) excluded</span></header>
      <div class="table-wrap"><table>
        <thead><tr>${head.map((h, i) => html`<th scope="col" class=${i === 0 ? '' : 'num'}>${h}</th>`)}</tr></thead>
        <tbody>${rows.map(([t, s]) => html`<tr><th scope="row">${t}</th>${[
          String(s.requests), String(s.errors), ms(s.ttft_ms?.p50), ms(s.ttft_ms?.p95), ms(s.ttft_ms?.p99), ms(s.tpot_ms?.p50, 2), ms(s.itl_ms?.p50, 2), ms(s.e2e_ms?.p50), ms(s.e2e_ms?.p95),
          ms(s.requests_per_s, 2), ms(s.output_tokens_per_s), ms(s.goodput_rps, 2), s.check_pass_rate === null ? '—' : `${Math.round(s.check_pass_rate * 100)} %`,
        ].map((v) => html`<td class="num mono">${v}</td>`)}</tr>`)}</tbody>
      </table></div>
    </section>`;
  }
}
customElements.define('run-summary-table', RunSummaryTable);
