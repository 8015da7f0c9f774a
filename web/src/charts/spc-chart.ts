import { LitElement, html, css } from 'lit';
import type { PropertyValues } from 'lit';
import type { Plugin, ScatterDataPoint } from 'chart.js';
import { Chart } from './chart-parts.ts';
import { markersByRule, readSpcChart, ruleName, RULE_STYLE, zoneBands } from './spc-view.ts';
import type { DispersionView, SpcView } from './spc-view.ts';
import { timeTicks, timeTickStep } from './view-range.ts';
import { csvText, downloadCsv, downloadPng, fileStem, rangeText } from './chart-export.ts';
import { chartTheme, THEME_CHANGE_EVENT } from '../theme/palette.ts';
import type { ChartTheme } from '../theme/palette.ts';
import { formatNumber, formatTime, formatValue, UNIT_NAMES } from '../format/units.ts';
import type { UnitKind } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';

const LINE = '#0072B2';

/** Horizontal lines at `y` values, clipped to the chart area. */
function drawLines(chart: Chart<'scatter'>, lines: readonly { y: number; color: string; dash: number[] }[]): void {
  const y = chart.scales.y;
  if (!y) return;
  const { ctx, chartArea: a } = chart;
  for (const l of lines) {
    const py = y.getPixelForValue(l.y);
    ctx.strokeStyle = l.color;
    ctx.setLineDash(l.dash);
    ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(a.left, py); ctx.lineTo(a.right, py); ctx.stroke();
  }
}

/** Shades the zones and draws CL/UCL/LCL under the data; rings the highlighted point. */
function zonesPlugin(get: () => { view: SpcView | null; theme: ChartTheme; highlight: number | null }): Plugin<'scatter'> {
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
      drawLines(chart as Chart<'scatter'>, [{ y: view.center, color: theme.fg, dash: [] }, { y: view.ucl, color: theme.bad, dash: [6, 4] }, { y: view.lcl, color: theme.bad, dash: [6, 4] }]);
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const { view, theme, highlight } = get();
      // The nearest point: an X̄ subgroup of the collector's chart need not end where the agent's did.
      const p = highlight === null || !view ? undefined : view.points.reduce<SpcView['points'][number] | undefined>((best, q) => (best === undefined || Math.abs(q.x - highlight) < Math.abs(best.x - highlight) ? q : best), undefined);
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (!p || !x || !y) return;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = theme.fg;
      ctx.lineWidth = 2;
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.arc(x.getPixelForValue(p.x), y.getPixelForValue(p.y), 12, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.restore();
    },
  };
}

/** CL and limits of the dispersion chart under its points. */
function dispersionPlugin(get: () => { view: DispersionView | null; theme: ChartTheme }): Plugin<'scatter'> {
  return {
    id: 'spcDispersion',
    beforeDatasetsDraw(chart) {
      const { view, theme } = get();
      if (!view) return;
      const { ctx, chartArea: a } = chart;
      ctx.save();
      ctx.beginPath();
      ctx.rect(a.left, a.top, a.right - a.left, a.bottom - a.top);
      ctx.clip();
      drawLines(chart as Chart<'scatter'>, [{ y: view.center, color: theme.fg, dash: [] }, { y: view.ucl, color: theme.bad, dash: [6, 4] }, ...(view.lcl > 0 ? [{ y: view.lcl, color: theme.bad, dash: [6, 4] }] : [])]);
      ctx.restore();
    },
  };
}

/**
 * `<spc-chart>`: a control chart from an spcChart result: the points, the centre line and
 * limits, zones A/B/C shaded on both sides, violation markers coloured and shaped by rule with a
 * legend naming each rule, the limits and σ in the header, Cp/Cpk when spec limits exist, and
 * under it the dispersion chart (MR, R or S) with its own limits. A log chart is drawn in the
 * data's units (seconds), its zones asymmetric. Exports PNG (both charts, title, range, limits,
 * legend) and CSV (host, series, unit per row).
 *
 * @property heading - title, usually the series
 * @property result - the JSON of GET /api/v1/spc (read with readSpcChart); null shows "loading"
 * @property unit - unit family of the values, for the header and tooltips
 * @property host - the host's name, for exports
 * @property seriesKey - the full series name, for exports
 * @property highlight - timestamp of a point to ring (the violation the user came from), or null
 * @property editable - offer "Re-baseline from now" (admin)
 * @fires rebaseline - the user asked for a new baseline of this series from now
 */
export class SpcChart extends LitElement {
  static override properties = {
    heading: { type: String },
    result: { attribute: false },
    unit: { type: String },
    host: { type: String },
    seriesKey: { type: String, attribute: 'series-key' },
    highlight: { attribute: false },
    editable: { type: Boolean },
  };

  static override styles = [panelStyles, css`
    .plot { position: relative; height: var(--chart-height, 260px); }
    .plot.dispersion { height: 130px; }
    h4 { font-size: 13px; font-weight: 600; margin: 10px 0 2px; }
    .limits { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; }
    .note { font-size: 12px; margin: 4px 0 0; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0; font-size: 12px; }
    .mark { display: inline-block; width: 10px; height: 10px; margin-right: 5px; vertical-align: middle; }
    .zone { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border: 1px solid var(--border); }
  `];

  declare heading: string;
  declare result: unknown;
  declare unit: UnitKind;
  declare host: string;
  declare seriesKey: string;
  declare highlight: number | null;
  declare editable: boolean;
  private view: SpcView | null = null;
  private chart: Chart<'scatter'> | null = null;
  private spread: Chart<'scatter'> | null = null;
  private readonly repaint = (): void => this.sync();

  constructor() {
    super();
    this.heading = '';
    this.result = null;
    this.unit = 'count';
    this.host = '';
    this.seriesKey = '';
    this.highlight = null;
    this.editable = false;
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
    this.spread?.destroy();
    this.chart = null;
    this.spread = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) this.view = readSpcChart(this.result);
  }

  /** The header's limits, as text (also the PNG's notes). */
  private limitsText(v: SpcView): string[] {
    const f = (x: number | null | undefined): string => formatValue(this.unit, x);
    const sigma = v.sigmaFactor !== null ? `σ ×${formatNumber(v.sigmaFactor, 3)}` : `σ ${f(v.sigma)}`;
    const parts = [`${v.chart}${v.log ? ' of ln(value), drawn in its units' : ''}${v.rate ? ' of the rate' : ''}`, `CL ${f(v.center)}`, `UCL ${f(v.ucl)}`, `LCL ${f(v.lcl)}`, sigma];
    const cap = v.capability;
    if (cap) parts.push(`Cp ${formatNumber(cap.cp, 3)}`, `Cpk ${formatNumber(cap.cpk, 3)}`);
    return parts;
  }

  override render() {
    const v = this.view;
    const groups = v ? markersByRule(v.markers) : [];
    const d = v?.dispersion ?? null;
    const fd = (x: number): string => (v?.log ? formatNumber(x, 3) : formatValue(this.unit, x));
    const error = this.result !== null && typeof this.result === 'object' && 'error' in (this.result as object) ? String((this.result as { error: unknown }).error ?? '') : '';
    return html`<section class="panel" aria-label="Control chart ${this.heading}">
      <header><h3>${this.heading}</h3>
        ${v ? html`<span class="limits mono">${this.limitsText(v).map((t) => html`<span>${t}</span>`)}</span>` : null}
        <span class="spacer"></span>
        ${this.editable ? html`<button type="button" title="A deploy, a new model or batch size changed the process on purpose: take the limits from the points after now" @click=${() => this.dispatchEvent(new CustomEvent('rebaseline', { bubbles: true, composed: true }))}>Re-baseline from now</button>` : null}
        <button type="button" @click=${this.exportPng} ?disabled=${!v}>PNG</button>
        <button type="button" @click=${this.exportCsv} ?disabled=${!v}>CSV</button>
      </header>
      <div class="plot" role="img" aria-label="${this.heading}: ${v ? `${v.points.length} points, ${v.markers.length} rule violations` : 'no chart yet'}"><canvas class="main"></canvas></div>
      ${v ? html`<ul aria-label="Legend">
        <li><span class="zone" style="background:var(--zone-c)"></span>C ±1σ</li>
        <li><span class="zone" style="background:var(--zone-b)"></span>B ±2σ</li>
        <li><span class="zone" style="background:var(--zone-a)"></span>A ±3σ</li>
        ${groups.map((g) => html`<li class="rule"><span class="mark" style="background:${RULE_STYLE[g.ruleNo ?? 1]?.color}"></span>${ruleName(g.rule)} (${g.markers.length})</li>`)}
        ${groups.length === 0 ? html`<li class="muted">No rule violations</li>` : null}
      </ul>
      ${v.baseline ? html`<p class="note muted">Re-baselined by ${v.baseline.by} at ${formatTime(v.baseline.at)}: limits from the points after ${formatTime(v.baseline.from)}.</p>` : null}
      ${v.dropped > 0 ? html`<p class="note muted">The last ${v.dropped} sample${v.dropped === 1 ? '' : 's'} wait for their subgroup to fill.</p>` : null}` : html`<div class="empty">${this.result === null ? 'Loading control chart…' : error ? `No control chart: ${error}` : 'Not enough points for a control chart yet.'}</div>`}
      <div ?hidden=${d === null}>
        <h4>${d?.title ?? ''} <span class="limits mono muted">${d ? `CL ${fd(d.center)} · UCL ${fd(d.ucl)} · LCL ${fd(d.lcl)}${d.points.some((p) => p.beyond) ? ` · ${d.points.filter((p) => p.beyond).length} beyond` : ''}` : ''}</span></h4>
        <div class="plot dispersion" role="img" aria-label="${d?.title ?? 'dispersion chart'}: ${d?.points.length ?? 0} points"><canvas class="spread"></canvas></div>
      </div>
    </section>`;
  }

  protected override firstUpdated(): void {
    this.create();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('result') || changed.has('unit') || changed.has('highlight')) this.sync();
  }

  private create(): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.main');
    const spread = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.spread');
    if (!canvas || !spread) return;
    const x = (items: { parsed: { x: number | null } }[]): string => (items[0] ? (this.view?.xIsTime ? formatTime(items[0].parsed.x) : `#${items[0].parsed.x}`) : '');
    const scatter = (on: HTMLCanvasElement, y: (v: number | null) => string, plugin: Plugin<'scatter'>): Chart<'scatter'> => new Chart(on, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { tooltip: { callbacks: { title: x, label: (item) => `${item.dataset.label ?? ''}: ${y(item.parsed.y)}` } } },
      },
      plugins: [plugin],
    });
    this.chart = scatter(canvas, (v) => formatValue(this.unit, v), zonesPlugin(() => ({ view: this.view, theme: chartTheme(this), highlight: this.highlight })));
    // The spread of a log chart is of ln(value): a plain number, not seconds.
    this.spread = scatter(spread, (v) => (this.view?.log ? formatNumber(v, 3) : formatValue(this.unit, v)), dispersionPlugin(() => ({ view: this.view?.dispersion ?? null, theme: chartTheme(this) })));
    this.sync();
  }

  private xScale(t: ChartTheme, chart: Chart<'scatter'>, v: SpcView | null) {
    return {
      type: 'linear' as const, grid: { color: t.grid },
      ...(v?.xIsTime ? { afterBuildTicks: (scale: { min: number; max: number; ticks: { value: number }[] }) => { scale.ticks = timeTicks(scale.min, scale.max, timeTickStep(scale.max - scale.min, Math.max(2, Math.floor(chart.width / 90)))).map((value) => ({ value })); } } : {}),
      ticks: { color: t.muted, maxRotation: 0, callback: (x: number | string) => (v?.xIsTime ? formatTime(Number(x)) : String(x)) },
    };
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
    const span = v ? Math.max(v.ucl - v.center, v.center - v.lcl) : 0;
    const xs = v?.points.map((p) => p.x) ?? [];
    const xRange = xs.length > 0 ? { min: Math.min(...xs), max: Math.max(...xs) } : {};
    chart.options.scales = {
      x: { ...this.xScale(t, chart, v), ...xRange },
      y: { type: 'linear', grid: { color: t.grid }, ...(v ? { suggestedMin: v.lcl - span * 0.15, suggestedMax: v.ucl + span * 0.15 } : {}), ticks: { color: t.muted, callback: (y) => formatValue(this.unit, Number(y)) } },
    };
    chart.update('none');
    const spread = this.spread;
    const d = v?.dispersion ?? null;
    if (!spread) return;
    spread.data.datasets = d ? [
      { label: d.title, data: d.points.map((p) => ({ x: p.x, y: p.y })), showLine: true, borderColor: LINE, backgroundColor: d.points.map((p) => (p.beyond ? t.bad : LINE)), borderWidth: 1.25, pointRadius: d.points.map((p) => (p.beyond ? 5 : d.points.length > 300 ? 0 : 2)) },
    ] : [];
    spread.options.scales = {
      // The same x range as the chart above, so a point and its spread line up.
      x: { ...this.xScale(t, spread, v), ...xRange },
      y: { type: 'linear', beginAtZero: true, grid: { color: t.grid }, ...(d ? { suggestedMax: d.ucl * 1.1 } : {}), ticks: { color: t.muted, callback: (y) => (v?.log ? formatNumber(Number(y), 3) : formatValue(this.unit, Number(y))) } },
    };
    spread.update('none');
  }

  private exportPng(): void {
    const v = this.view;
    const main = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.main');
    const spread = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.spread');
    if (!v || !main) return;
    const t = chartTheme(this);
    const xs = v.points.map((p) => p.x);
    const range = v.xIsTime && xs.length > 0 ? rangeText(Math.min(...xs), Math.max(...xs)) : `points 1–${v.points.length}`;
    const legend = [{ color: LINE, label: this.seriesKey || this.heading }, ...markersByRule(v.markers).map((g) => ({ color: RULE_STYLE[g.ruleNo ?? 1]?.color ?? t.bad, label: `${ruleName(g.rule)} (${g.markers.length})` }))];
    const d = v.dispersion;
    const notes = [this.limitsText(v).join(' · '), ...(d ? [`${d.title}: CL ${formatNumber(d.center, 4)} · UCL ${formatNumber(d.ucl, 4)} · LCL ${formatNumber(d.lcl, 4)}`] : [])];
    downloadPng(d && spread ? [main, spread] : [main], { title: this.host ? `${this.heading} · ${this.host}` : this.heading, range, legend, notes }, { background: t.panel, fg: t.fg, muted: t.muted }, `${fileStem(this.heading)}-spc`);
  }

  private exportCsv(): void {
    const v = this.view;
    if (!v) return;
    const rules = new Map<number, string[]>();
    for (const m of v.markers) rules.set(m.index, [...(rules.get(m.index) ?? []), m.rule]);
    const spreads = new Map((v.dispersion?.points ?? []).map((p) => [p.x, p.y]));
    const unit = UNIT_NAMES[this.unit];
    const rows = v.points.map((p) => [this.host, this.seriesKey || this.heading, unit, p.index, v.xIsTime ? new Date(p.x).toISOString() : '', p.y, v.center, v.lcl, v.ucl, spreads.get(p.x), (rules.get(p.index) ?? []).join(' ')]);
    downloadCsv(csvText(['host', 'series', 'unit', 'index', 'time', 'value', 'center', 'lcl', 'ucl', v.dispersion?.kind ?? 'dispersion', 'rules'], rows), `${fileStem(this.heading)}-spc`);
  }
}
customElements.define('spc-chart', SpcChart);
