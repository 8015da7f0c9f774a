import { LitElement, html, css } from 'lit';
import type { PropertyValues } from 'lit';
import { runCharts } from '@sigmascope/protocol/stats/run-charts';
import type { RunCharts } from '@sigmascope/protocol/stats/run-charts';
import type { CompareResult } from '@sigmascope/protocol/stats/run-comparison';
import { panelStyles } from '../theme/panel-styles.ts';
import { fetchComparison, fetchRun } from './runs-api.ts';
import './run-chart.ts';

const num = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '—' : v.toFixed(d));
const p = (v: number | null): string => (v === null ? '—' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));
const VERDICT = { regression: 'regression', improvement: 'improvement', no_change: 'no change' } as const;

/**
 * `<run-compare-view>`: run B against baseline A with the statistics of `bench compare` (from the
 * collector): per target and metric the medians, the change, the Hodges–Lehmann shift and its
 * interval, Cliff's delta, Mann–Whitney p before and after Holm, and the verdict; then both runs'
 * charts overlaid.
 *
 * @attr a - baseline run id
 * @attr b - candidate run id
 */
export class RunCompareView extends LitElement {
  static override properties = { a: {}, b: {}, result: { state: true }, charts: { state: true }, error: { state: true } };
  static override styles = [panelStyles, css`
    :host { display: grid; gap: 12px; grid-template-columns: minmax(0, 1fr); }
    :host > *, .charts > * { min-width: 0; }
    .verdict { font-weight: 600; }
    .regression { color: var(--bad); } .improvement { color: var(--ok); }
    .charts { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); }
    ul { margin: 6px 0 0; padding-left: 18px; color: var(--muted); }
  `];

  declare a: string;
  declare b: string;
  declare result: CompareResult | null;
  declare charts: RunCharts | null;
  declare error: string | null;

  constructor() {
    super();
    this.a = '';
    this.b = '';
    this.result = null;
    this.charts = null;
    this.error = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!(changed.has('a') || changed.has('b')) || this.a === '' || this.b === '') return;
    this.result = null;
    Promise.all([fetchComparison(this.a, this.b), fetchRun(this.a), fetchRun(this.b)]).then(([result, ra, rb]) => {
      this.result = result;
      const side = (label: string, r: typeof ra) => ({ label, targets: Object.keys(r.run.summary), requests: r.requests, stages: Object.fromEntries(Object.entries(r.run.summary).map(([t, s]) => [t, s.stages ?? []])) });
      this.charts = runCharts([side('A', ra), side('B', rb)]);
    }, (e: unknown) => (this.error = e instanceof Error ? e.message : String(e)));
  }

  override render() {
    if (this.error) return html`<div class="panel" role="alert">${this.error}</div>`;
    const r = this.result;
    if (r === null) return html`<div class="panel empty">Comparing…</div>`;
    const warnings = r.comparisons.flatMap((c) => c.warnings.map((w) => `${c.target} ${c.metric}: ${w}`));
    // The verdict and the change first: on a phone they are what shows before the table scrolls.
    const head = ['Target', 'Metric', 'Verdict', 'Change', 'n A', 'n B', 'Median A', 'Median B', 'HL shift [95 % CI]', 'Cliff δ', 'p', 'p (Holm)'];
    return html`
      <section class="panel" aria-label="Comparison">
        <header><h2 class=${r.regressions > 0 ? 'regression' : ''}>${r.regressions > 0 ? `${r.regressions} regression${r.regressions === 1 ? '' : 's'}` : 'No regression'}</h2>
          <span class="muted">B <span class="mono">${r.b}</span> against A <span class="mono">${r.a}</span> · threshold ${Math.round(r.threshold * 100)} % on the median · alpha ${r.alpha} after Holm</span></header>
        <div class="table-wrap"><table>
          <thead><tr>${head.map((h, i) => html`<th scope="col" class=${i < 3 ? '' : 'num'}>${h}</th>`)}</tr></thead>
          <tbody>${r.comparisons.map((c) => html`<tr>
            <th scope="row">${c.target}</th><td>${c.metric}</td><td class=${`verdict ${c.verdict}`}>${VERDICT[c.verdict]}</td>
            ${[c.change === null ? '—' : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)} %`, String(c.a.n), String(c.b.n), num(c.a.median), num(c.b.median),
              c.hodges_lehmann ? `${num(c.hodges_lehmann.shift)} [${num(c.hodges_lehmann.ci[0])}, ${num(c.hodges_lehmann.ci[1])}]` : '—', num(c.cliffs_delta, 3), p(c.mann_whitney?.p ?? null), p(c.p_adjusted)].map((v) => html`<td class="num mono">${v}</td>`)}</tr>`)}</tbody>
        </table></div>
        ${warnings.length > 0 ? html`<ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : null}
      </section>
      <div class="charts">${this.charts ? [this.charts.latencyCdf, this.charts.ttftHistogram, ...(this.charts.throughputVsRate ? [this.charts.throughputVsRate] : [])].map((c) => html`<run-chart .chart=${c}></run-chart>`) : null}</div>`;
  }
}
customElements.define('run-compare-view', RunCompareView);
