import { LitElement, html, css } from 'lit';
import type { PropertyValues } from 'lit';
import type { Plugin, ScatterDataPoint } from 'chart.js';
import { Chart } from './chart-parts.ts';
import { markersByRule, readSpcChart, ruleName, RULE_STYLE, zoneBands } from './spc-view.ts';
import type { SpcView } from './spc-view.ts';
import { timeTicks, timeTickStep } from './view-range.ts';
import { csvText, downloadCsv, downloadPng, fileStem } from './chart-export.ts';
import { chartTheme, THEME_CHANGE_EVENT } from '../theme/palette.ts';
import type { ChartTheme } from '../theme/palette.ts';
import { formatNumber, formatTime, formatValue } from '../format/units.ts';
import type { UnitKind } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';

const LINE = '#0072B2';

/** Shades the zones and draws CL/UCL/LCL under the data. */
function zonesPlugin(get: () => { view: SpcView | null; theme: ChartTheme }): Plugin<'scatter'> {
  return {
    id: 'spcZones',
    beforeDatasetsDraw(chart) {
      const { view, theme } = get();
      const y = chart.scales.y;
      if (!view || !y) return;
      const { ctx, chartArea: a } = chart;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.clip();
      const fill = { A: theme.zoneA, B: theme.zoneB, C: theme.zoneC };
      for (const band of zoneBands(view)) {
        const top = y.getPixelForValue(band.to);
        ctx.fillStyle = fill[band.zone];
        ctx.fillRect(a.left, top, a.right - a.left, y.getPixelForValue(band.from) - top);
      }
      const line = (v: number, color: string, dash: number[]): void => {
        const py = y.getPixelForValue(v);
        ctx.strokeStyle = color;
        ctx.setLineDash(dash);
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(a.left, py); ctx.lineTo(a.right, py); ctx.stroke();
      };
      line(view.center, theme.fg, []);
      line(view.ucl, theme.bad, [6, 4]);
      line(view.lcl, theme.bad, [6, 4]);
      ctx.restore();
    },
  };
}

/**
 * `<spc-chart>`: a control chart from an spcChart result: the points, the centre line and
 * limits, zones A/B/C shaded on both sides, violation markers coloured and shaped by rule with a
 * legend naming each rule, the limits and σ in the header, Cp/Cpk when spec limits exist, and
 * export as PNG or CSV.
 *
 * @property heading - title, usually the series
 * @property result - the JSON of GET /api/v1/spc (read with readSpcChart); null shows "loading"
 * @property unit - unit family of the values, for the header and tooltips
 */
export class SpcChart extends LitElement {
  static override properties = {
    heading: { type: String },
    result: { attribute: false },
    unit: { type: String },
  };

  static override styles = [panelStyles, css`
    .plot { position: relative; height: var(--chart-height, 260px); }
    .limits { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0; font-size: 12px; }
    .mark { display: inline-block; width: 10px; height: 10px; margin-right: 5px; vertical-align: middle; }
    .zone { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border: 1px solid var(--border); }
  `];

  declare heading: string;
  declare result: unknown;
  declare unit: UnitKind;
  private view: SpcView | null = null;
  private chart: Chart<'scatter'> | null = null;
  private readonly repaint = (): void => this.sync();

  constructor() {
    super();
    this.heading = '';
    this.result = null;
    this.unit = 'count';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(THEME_CHANGE_EVENT, this.repaint);
    if (this.hasUpdated && !this.chart) this.create();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(THEME_CHANGE_EVENT, this.repaint);
    this.chart?.destroy();
    this.chart = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) this.view = readSpcChart(this.result);
  }

  override render() {
    const v = this.view;
    const f = (x: number | null | undefined): string => formatValue(this.unit, x);
    const groups = v ? markersByRule(v.markers) : [];
    const cap = v?.capability;
    return html`<section class="panel" aria-label="Control chart ${this.heading}">
      <header><h3>${this.heading}</h3>
        ${v ? html`<span class="limits mono">
          <span>${v.chart}</span><span>CL ${f(v.center)}</span><span>UCL ${f(v.ucl)}</span><span>LCL ${f(v.lcl)}</span><span>σ ${f(v.sigma)}</span>
          ${cap ? html`<span>Cp ${formatNumber(cap.cp, 3)}</span><span>Cpk ${formatNumber(cap.cpk, 3)}</span>` : null}
        </span>` : null}
        <span class="spacer"></span>
        <button type="button" @click=${this.exportPng}>PNG</button>
        <button type="button" @click=${this.exportCsv} ?disabled=${!v}>CSV</button>
      </header>
      <div class="plot" role="img" aria-label="${this.heading}: ${v ? `${v.points.length} points, ${v.markers.length} rule violations` : 'no chart yet'}"><canvas></canvas></div>
      ${v ? html`<ul aria-label="Legend">
        <li><span class="zone" style="background:var(--zone-c)"></span>C ±1σ</li>
        <li><span class="zone" style="background:var(--zone-b)"></span>B ±2σ</li>
        <li><span class="zone" style="background:var(--zone-a)"></span>A ±3σ</li>
        ${groups.map((g) => html`<li class="rule"><span class="mark" style="background:${RULE_STYLE[g.ruleNo ?? 1]?.color}"></span>${ruleName(g.rule)} (${g.markers.length})</li>`)}
        ${groups.length === 0 ? html`<li class="muted">No rule violations</li>` : null}
      </ul>` : html`<div class="empty">${this.result === null ? 'Loading control chart…' : 'Not enough points for a control chart yet.'}</div>`}
    </section>`;
  }

  protected override firstUpdated(): void {
    this.create();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('result') || changed.has('unit')) this.sync();
  }

  private create(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const plugin = zonesPlugin(() => ({ view: this.view, theme: chartTheme(this) }));
    this.chart = new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { tooltip: { callbacks: {
          title: (items) => (items[0] ? (this.view?.xIsTime ? formatTime(items[0].parsed.x) : `#${items[0].parsed.x}`) : ''),
          label: (item) => `${item.dataset.label ?? ''}: ${formatValue(this.unit, item.parsed.y)}`,
        } } },
      },
      plugins: [plugin],
    });
    this.sync();
  }

  private sync(): void {
    const chart = this.chart;
    if (!chart) return;
    const v = this.view;
    const t = chartTheme(this);
    const pts: ScatterDataPoint[] = v ? v.points.map((p) => ({ x: p.x, y: p.y })) : [];
    chart.data.datasets = [
      // Lower `order` draws on top: markers over the line, rule 1 over the others.
      { label: 'value', order: 100, data: pts, showLine: true, borderColor: LINE, backgroundColor: LINE, borderWidth: 1.25, pointRadius: pts.length > 300 ? 0 : 2 },
      ...(v ? markersByRule(v.markers) : []).map((g) => {
        const style = RULE_STYLE[g.ruleNo ?? 1] ?? { color: t.bad, shape: 'triangle' };
        return { label: ruleName(g.rule), order: g.ruleNo ?? 50, data: g.markers.map((m) => ({ x: m.x, y: m.y })), pointStyle: style.shape as 'triangle', pointRadius: 7, pointHoverRadius: 9, borderColor: t.fg, borderWidth: 1, backgroundColor: style.color, showLine: false };
      }),
    ];
    const w = v?.zoneWidth ?? 0;
    chart.options.scales = {
      x: {
        type: 'linear', grid: { color: t.grid },
        ...(v?.xIsTime ? { afterBuildTicks: (scale: { min: number; max: number; ticks: { value: number }[] }) => { scale.ticks = timeTicks(scale.min, scale.max, timeTickStep(scale.max - scale.min, Math.max(2, Math.floor(chart.width / 90)))).map((value) => ({ value })); } } : {}),
        ticks: { color: t.muted, maxRotation: 0, callback: (x) => (v?.xIsTime ? formatTime(Number(x)) : String(x)) },
      },
      y: { type: 'linear', grid: { color: t.grid }, ...(v ? { suggestedMin: v.lcl - w * 0.5, suggestedMax: v.ucl + w * 0.5 } : {}), ticks: { color: t.muted, callback: (y) => formatValue(this.unit, Number(y)) } },
    };
    chart.update('none');
  }

  private exportPng(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (canvas) downloadPng(canvas, chartTheme(this).panel, `${fileStem(this.heading)}-spc`);
  }

  private exportCsv(): void {
    const v = this.view;
    if (!v) return;
    const rules = new Map<number, string[]>();
    for (const m of v.markers) rules.set(m.index, [...(rules.get(m.index) ?? []), m.rule]);
    const rows = v.points.map((p) => [p.index, v.xIsTime ? new Date(p.x).toISOString() : '', p.y, v.center, v.lcl, v.ucl, (rules.get(p.index) ?? []).join(' ')]);
    downloadCsv(csvText(['index', 'time', 'value', 'center', 'lcl', 'ucl', 'rules'], rows), `${fileStem(this.heading)}-spc`);
  }
}
customElements.define('spc-chart', SpcChart);
