import { LitElement, html, css } from 'lit';
import type { PropertyValues } from 'lit';
import type { ChartDataset } from 'chart.js';
import { Legend } from 'chart.js';
import type { ChartData } from '@sigmascope/protocol/stats/run-charts';
import { Chart } from '../charts/chart-parts.ts';
import { chartTheme, THEME_CHANGE_EVENT } from '../theme/palette.ts';
import { panelStyles } from '../theme/panel-styles.ts';

Chart.register(Legend);

/** Series colours (colour-blind safe, Okabe–Ito), as the CLI's report uses them. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

/**
 * `<run-chart>`: one chart of a benchmark run (protocol/stats/run-charts.ts's data) drawn with
 * Chart.js: a CDF as a step line, a histogram as stairs (so runs overlay), a sweep as lines with
 * the offered rate dashed.
 *
 * @property chart - ChartData
 */
export class RunChart extends LitElement {
  static override properties = { chart: { attribute: false } };
  static override styles = [panelStyles, css`.box { position: relative; height: 260px; }`];

  declare chart: ChartData | null;
  private instance: Chart | null = null;
  private readonly onTheme = (): void => this.draw();

  constructor() {
    super();
    this.chart = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(THEME_CHANGE_EVENT, this.onTheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(THEME_CHANGE_EVENT, this.onTheme);
    this.instance?.destroy();
    this.instance = null;
  }

  override render() {
    return html`<section class="panel" aria-label=${this.chart?.title ?? 'chart'}>
      <header><h2>${this.chart?.title ?? ''}</h2></header>
      <div class="box"><canvas role="img" aria-label=${this.chart?.title ?? ''}></canvas></div>
    </section>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('chart')) this.draw();
  }

  private draw(): void {
    const c = this.chart;
    const canvas = this.renderRoot.querySelector('canvas');
    if (c === null || canvas === null) return;
    const t = chartTheme(this);
    const datasets = c.series.map((s, i): ChartDataset<'line', { x: number; y: number }[]> => {
      const colour = s.dashed ? t.muted : (COLOURS[i % COLOURS.length] as string);
      // A histogram's bins as stairs: each bin's count from its left edge to its right.
      const w = c.barWidth ?? 0;
      const data = c.kind === 'bars' ? s.points.flatMap(([x, y]) => [{ x: x - w / 2, y }, { x: x + w / 2, y }]) : s.points.map(([x, y]) => ({ x, y }));
      return { label: s.name, data, borderColor: colour, backgroundColor: colour, borderWidth: 1.8, pointRadius: 0, stepped: c.kind === 'step' ? 'before' : false, ...(s.dashed ? { borderDash: [5, 4] } : {}) };
    });
    this.instance?.destroy();
    this.instance = new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        plugins: { legend: { labels: { color: t.fg, boxWidth: 12 } }, tooltip: { mode: 'nearest', intersect: false } },
        scales: {
          x: { type: 'linear', title: { display: true, text: c.xLabel, color: t.muted }, grid: { color: t.grid }, ticks: { color: t.muted } },
          y: { type: 'linear', title: { display: true, text: c.yLabel, color: t.muted }, grid: { color: t.grid }, ticks: { color: t.muted }, ...(c.yMin !== undefined ? { min: c.yMin } : { beginAtZero: true }), ...(c.yMax !== undefined ? { max: c.yMax } : {}) },
        },
      },
    });
  }
}
customElements.define('run-chart', RunChart);
