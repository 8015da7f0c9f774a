import { LitElement, html, css } from 'lit';
import type { PropertyValues } from 'lit';
import type { ChartDataset, ScaleOptions } from 'chart.js';
import { Chart } from './chart-parts.ts';
import { axesFor } from './series-datasets.ts';
import type { ChartSeries } from './series-datasets.ts';
import { binaryTicks, clampView, fromSelection, isFull, panBy, timeTicks, timeTickStep, zoomAt } from './view-range.ts';
import type { ViewRange } from './view-range.ts';
import { downloadCsv, downloadPng, fileStem, rangeText, seriesCsv } from './chart-export.ts';
import { timeMarkersPlugin } from './time-markers.ts';
import type { TimeMarker } from './time-markers.ts';
import { chartTheme, THEME_CHANGE_EVENT } from '../theme/palette.ts';
import { formatTime, formatValue, UNIT_NAMES } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import type { ChartOverlay } from '../analytics/chart-overlays.ts';

/**
 * `<series-panel>`: several series on one time axis, one y axis per unit, hover values for every
 * series at the pointer, zoom (drag a range, Ctrl+wheel, + / −) and pan (← / →, Shift+wheel),
 * and export as PNG or CSV.
 *
 * @property heading - title above the chart
 * @property series - the lines (ChartSeries from series-datasets.ts), drawn in order
 * @property bounds - the full time range {min, max} in ms; the data's extent when null
 * @property empty - what to say when there is no series (default: no data in this range yet)
 * @property markers - instants drawn as labelled vertical lines (TimeMarker[]), e.g. an incident's onset
 * @property overlays - extra datasets drawn over the series (anomaly markers, a forecast band), with legend entries
 * @fires view-change - detail {min, max} | null after a zoom or pan (null: back to full range)
 */
export class SeriesPanel extends LitElement {
  static override properties = {
    heading: { type: String },
    series: { attribute: false },
    bounds: { attribute: false },
    empty: { type: String },
    markers: { attribute: false },
    overlays: { attribute: false },
    view: { state: true },
    selection: { state: true },
  };

  static override styles = [panelStyles, css`
    .plot { position: relative; height: var(--chart-height, 240px); touch-action: pan-y; }
    .plot[hidden] { display: none; }
    .select { position: absolute; top: 0; bottom: 0; background: var(--grid); border: 1px dashed var(--accent); pointer-events: none; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0; font-size: 12px; }
    .swatch { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 5px; }
    .tools { display: flex; gap: 4px; flex-wrap: wrap; }
  `];

  declare heading: string;
  declare series: readonly ChartSeries[];
  declare bounds: ViewRange | null;
  declare empty: string;
  declare markers: readonly TimeMarker[];
  declare overlays: readonly ChartOverlay[];
  declare view: ViewRange | null;
  declare selection: { a: number; b: number } | null;
  private chart: Chart<'line', { x: number; y: number }[]> | null = null;
  private readonly repaint = (): void => this.chart ? this.syncChart() : undefined;

  constructor() {
    super();
    this.heading = '';
    this.series = [];
    this.bounds = null;
    this.empty = '';
    this.markers = [];
    this.overlays = [];
    this.view = null;
    this.selection = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(THEME_CHANGE_EVENT, this.repaint);
    if (this.hasUpdated && !this.chart) this.createChart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(THEME_CHANGE_EVENT, this.repaint);
    this.chart?.destroy();
    this.chart = null;
  }

  override render() {
    const sel = this.selection;
    return html`<section class="panel" aria-label=${this.heading}>
      <header><h3>${this.heading}</h3><span class="spacer"></span>
        <span class="tools">
          <button type="button" title="Zoom in (+)" aria-label="Zoom in" @click=${() => this.zoom(0.5)}>+</button>
          <button type="button" title="Zoom out (−)" aria-label="Zoom out" @click=${() => this.zoom(2)}>−</button>
          <button type="button" title="Earlier (←)" aria-label="Pan earlier" @click=${() => this.pan(-0.25)}>◀</button>
          <button type="button" title="Later (→)" aria-label="Pan later" @click=${() => this.pan(0.25)}>▶</button>
          <button type="button" ?disabled=${this.view === null} @click=${() => this.setView(null)}>Reset</button>
          <button type="button" @click=${this.exportPng}>PNG</button>
          <button type="button" @click=${this.exportCsv}>CSV</button>
        </span></header>
      <div class="plot" ?hidden=${this.series.length === 0} tabindex="0" role="img" aria-label="${this.heading}: ${this.series.length} series. Drag to zoom, arrow keys pan, plus and minus zoom, 0 resets."
        @keydown=${this.onKey} @wheel=${this.onWheel} @pointerdown=${this.onDown} @pointermove=${this.onMove} @pointerup=${this.onUp} @dblclick=${() => this.setView(null)}>
        <canvas></canvas>
        ${sel ? html`<div class="select" style="left:${Math.min(sel.a, sel.b)}px;width:${Math.abs(sel.b - sel.a)}px"></div>` : null}
      </div>
      ${this.series.length === 0 ? html`<div class="empty">${this.empty || 'No data in this range yet.'}</div>` : html`<ul>${this.series.map((s) => {
        const last = s.points[s.points.length - 1];
        return html`<li><span class="swatch" style="background:${s.color}"></span>${s.label} <span class="mono muted">${last ? formatValue(s.unit, last[1]) : ''}</span></li>`;
      })}${this.overlays.map((o) => html`<li class="overlay-${o.legend.kind}"><span class="swatch" style="background:${o.legend.color}${o.legend.kind === 'marker' ? ';width:9px;height:9px;transform:rotate(45deg)' : ''}"></span>${o.legend.label}</li>`)}</ul>`}
    </section>`;
  }

  protected override firstUpdated(): void {
    this.createChart();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.chart && (changed.has('series') || changed.has('bounds') || changed.has('view') || changed.has('markers') || changed.has('overlays'))) this.syncChart();
  }

  /** The full x range: the `bounds` property, else the extent of the data. */
  private full(): ViewRange {
    if (this.bounds) return this.bounds;
    let min = Infinity;
    let max = -Infinity;
    for (const s of this.series) {
      const first = s.points[0];
      const last = s.points[s.points.length - 1];
      if (first) min = Math.min(min, first[0]);
      if (last) max = Math.max(max, last[0]);
    }
    return Number.isFinite(min) ? { min, max: Math.max(max, min + 1000) } : { min: Date.now() - 60_000, max: Date.now() };
  }

  private createChart(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'perDataset', intersect: false },
        plugins: { tooltip: { callbacks: {
          title: (items) => (items[0] ? formatTime(items[0].parsed.x) : ''),
          // Overlays (after the series) are drawn on the first series' axis.
          label: (item) => `${item.dataset.label ?? ''}: ${formatValue(this.series[item.datasetIndex]?.unit ?? this.series[0]?.unit ?? 'count', item.parsed.y)}`,
        } } },
      },
      plugins: [timeMarkersPlugin(() => ({ markers: this.markers, fg: chartTheme(this).fg }))],
    });
    this.syncChart();
  }

  private syncChart(): void {
    const chart = this.chart;
    if (!chart) return;
    const t = chartTheme(this);
    const axes = axesFor(this.series);
    const full = this.full();
    const view = this.view ? clampView(this.view, full) : full;
    chart.data.datasets = this.series.map((s): ChartDataset<'line', { x: number; y: number }[]> => ({
      label: s.label, data: s.points.map(([x, y]) => ({ x, y })), yAxisID: `y-${s.unit}`,
      borderColor: s.color, backgroundColor: s.color, borderWidth: 1.5,
      pointRadius: s.points.length < 60 ? 2.5 : 0, pointHoverRadius: 4,
    }));
    if (this.series.length > 0) for (const o of this.overlays) chart.data.datasets.push(...o.datasets.map((d) => ({ ...d })));
    const scales: Record<string, ScaleOptions<'linear'>> = {
      x: {
        type: 'linear', min: view.min, max: view.max, grid: { color: t.grid },
        afterBuildTicks: (scale) => { scale.ticks = timeTicks(view.min, view.max, timeTickStep(view.max - view.min, Math.max(2, Math.floor(chart.width / 90)))).map((value) => ({ value })); },
        ticks: { color: t.muted, maxRotation: 0, callback: (v) => formatTime(Number(v)) },
      } as ScaleOptions<'linear'>,
    };
    for (const a of axes) {
      const binary = a.unit === 'bytes' || a.unit === 'bytesPerSecond';
      scales[a.id] = {
        type: 'linear', position: a.position, grid: { color: a.position === 'left' ? t.grid : 'transparent' },
        ...(a.unit === 'ratio' ? { min: 0, suggestedMax: 1 } : { beginAtZero: true }),
        // Bytes tick on binary steps (256 MiB, 512 MiB, …), so the labels are round numbers of their unit.
        ...(binary ? { afterBuildTicks: (scale: { min: number; max: number; ticks: { value: number }[] }) => { scale.ticks = binaryTicks(scale.min, scale.max, 6).map((value) => ({ value })); } } : {}),
        ticks: { color: t.muted, callback: (v) => formatValue(a.unit, Number(v)) },
      } as ScaleOptions<'linear'>;
    }
    chart.options.scales = scales;
    chart.update('none');
  }

  private setView(view: ViewRange | null): void {
    const full = this.full();
    this.view = view && !isFull(view, full) ? clampView(view, full) : null;
    this.dispatchEvent(new CustomEvent('view-change', { detail: this.view, bubbles: true, composed: true }));
  }

  private zoom(factor: number, at?: number): void {
    const full = this.full();
    const v = this.view ?? full;
    this.setView(zoomAt(v, at ?? (v.min + v.max) / 2, factor, full));
  }

  private pan(fraction: number): void {
    const full = this.full();
    this.setView(panBy(this.view ?? full, fraction, full));
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const act: Record<string, () => void> = { ArrowLeft: () => this.pan(-0.25), ArrowRight: () => this.pan(0.25), '+': () => this.zoom(0.5), '=': () => this.zoom(0.5), '-': () => this.zoom(2), '0': () => this.setView(null) };
    const f = act[e.key];
    if (f) { e.preventDefault(); f(); }
  };

  private readonly onWheel = (e: WheelEvent): void => {
    if (!this.chart || !(e.ctrlKey || e.metaKey || e.shiftKey)) return;
    e.preventDefault();
    if (e.shiftKey) return this.pan(Math.sign(e.deltaY || e.deltaX) * 0.1);
    this.zoom(e.deltaY < 0 ? 0.8 : 1.25, this.chart.scales.x?.getValueForPixel(e.offsetX));
  };

  private readonly onDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    this.selection = { a: e.offsetX, b: e.offsetX };
  };

  private readonly onMove = (e: PointerEvent): void => {
    if (this.selection) this.selection = { a: this.selection.a, b: e.offsetX };
  };

  private readonly onUp = (): void => {
    const sel = this.selection;
    this.selection = null;
    const x = this.chart?.scales.x;
    if (!sel || !x) return;
    const range = fromSelection(x.getValueForPixel(sel.a) ?? 0, x.getValueForPixel(sel.b) ?? 0);
    if (range && Math.abs(sel.b - sel.a) > 8) this.setView(range);
  };

  private exportPng(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const t = chartTheme(this);
    const full = this.full();
    const v = this.view ? clampView(this.view, full) : full;
    const hosts = [...new Set(this.series.map((s) => s.host).filter(Boolean))];
    if (canvas) downloadPng([canvas], { title: hosts.length === 1 ? `${this.heading} · ${hosts[0]}` : this.heading, range: rangeText(v.min, v.max), legend: this.series.map((s) => ({ color: s.color, label: s.label })) }, { background: t.panel, fg: t.fg, muted: t.muted }, fileStem(this.heading));
  }

  private exportCsv(): void {
    downloadCsv(seriesCsv(this.series.map((s) => ({ host: s.host, key: s.key, unit: UNIT_NAMES[s.unit], points: s.points }))), fileStem(this.heading));
  }
}
customElements.define('series-panel', SeriesPanel);
