import { LitElement, html, css } from 'lit';
import type { PropertyValues } from 'lit';
import { runCharts } from '@sigmascope/protocol/stats/run-charts';
import type { RunCharts } from '@sigmascope/protocol/stats/run-charts';
import { panelStyles } from '../theme/panel-styles.ts';
import { fetchRun } from './runs-api.ts';
import type { StoredRun } from './runs-api.ts';
import './run-chart.ts';
import './run-summary-table.ts';

/**
 * `<run-view>`: one benchmark run: where and how it ran (suite, dataset and config hashes, seed,
 * host and GPUs, versions), its summary per target, and its charts (latency CDF, TTFT histogram,
 * throughput against rate for a sweep).
 *
 * @attr run-id - the run's id
 */
export class RunView extends LitElement {
  static override properties = { runId: { attribute: 'run-id' }, run: { state: true }, charts: { state: true }, error: { state: true } };
  static override styles = [panelStyles, css`
    :host { display: grid; gap: 12px; grid-template-columns: minmax(0, 1fr); }
    :host > *, .charts > * { min-width: 0; }
    dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 3px 12px; margin: 0; }
    dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
    .charts { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); }
  `];

  declare runId: string;
  declare run: StoredRun | null;
  declare charts: RunCharts | null;
  declare error: string | null;

  constructor() {
    super();
    this.runId = '';
    this.run = null;
    this.charts = null;
    this.error = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('runId') || this.runId === '') return;
    this.run = null;
    fetchRun(this.runId).then(({ run, requests }) => {
      this.run = run;
      this.charts = runCharts([{ label: '', targets: Object.keys(run.summary), requests, stages: Object.fromEntries(Object.entries(run.summary).map(([t, s]) => [t, s.stages ?? []])) }]);
    }, (e: unknown) => (this.error = e instanceof Error ? e.message : String(e)));
  }

  override render() {
    if (this.error) return html`<div class="panel" role="alert">${this.error}</div>`;
    const r = this.run;
    if (r === null) return html`<div class="panel empty">Loading run…</div>`;
    const gpus = r.host.gpus?.gpus.map((g) => g.name ?? 'GPU').join(', ') || 'none found';
    const facts: [string, string][] = [
      ['Suite', `${r.suite.name} · sha256 ${r.suite.sha256}`],
      ['Dataset', `${r.dataset.count} prompts (${r.dataset.source}) · sha256 ${r.dataset.sha256}`],
      ['Config', `sha256 ${r.config_sha256} · seed ${r.seed} · profile ${r.config.profile.type}`],
      ['When', `${r.startedAt} → ${r.endedAt}${r.interrupted ? ' (interrupted: what finished)' : ''}`],
      ['Host', `${r.host.hostname} · ${r.host.inventory?.cpu.model ?? 'CPU unknown'} · GPUs: ${gpus}`],
      ['Versions', `sigmascope ${r.versions.sigmascope} · node ${r.versions.node} · ${r.versions.platform}`],
    ];
    return html`
      <section class="panel" aria-label="Provenance"><header><h2>Provenance</h2></header>
        <dl>${facts.map(([k, v]) => html`<dt>${k}</dt><dd class=${k === 'Host' || k === 'When' ? '' : 'mono'}>${v}</dd>`)}</dl></section>
      <run-summary-table .run=${r}></run-summary-table>
      <div class="charts">${this.charts ? [this.charts.latencyCdf, this.charts.ttftHistogram, ...(this.charts.throughputVsRate ? [this.charts.throughputVsRate] : [])].map((c) => html`<run-chart .chart=${c}></run-chart>`) : null}</div>`;
  }
}
customElements.define('run-view', RunView);
