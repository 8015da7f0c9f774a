import { LitElement, html, css } from 'lit';
import type { GpuCard } from './gpu-cards.ts';
import { formatBytes, formatClock, formatPercent, formatValue } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';

/**
 * `<gpu-panel>`: one card per GPU, titled "GPU 0 · H100 80GB" with the uuid under it, with
 * utilization (large, labelled), memory used of total, temperature,
 * power and clocks. Cards wrap from one column at 375 px to many on a wall screen.
 *
 * @property cards - GpuCard[] from gpuCards()
 * @property heading - title, e.g. "GPUs on gpu-01"
 */
export class GpuPanel extends LitElement {
  static override properties = { cards: { attribute: false }, heading: { type: String } };
  static override styles = [panelStyles, css`
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px; }
    article { border: 1px solid var(--border); border-radius: 8px; padding: 10px; }
    h3 { margin: 0; font-size: 14px; }
    .gpu-id { font-family: var(--mono); font-size: 11px; color: var(--muted); overflow-wrap: anywhere; }
    .caption { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; margin-top: 6px; }
    .util { font-size: 28px; font-weight: 650; font-variant-numeric: tabular-nums; margin: 4px 0 2px; }
    .bar { height: 6px; border-radius: 3px; background: var(--grid); overflow: hidden; margin: 2px 0 8px; }
    .bar > span { display: block; height: 100%; background: var(--accent); }
    .bar.mem > span { background: #E69F00; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; font-size: 12px; }
    dt { color: var(--muted); }
    dd { margin: 0; text-align: right; font-family: var(--mono); }
  `];

  declare cards: readonly GpuCard[];
  declare heading: string;

  constructor() {
    super();
    this.cards = [];
    this.heading = 'GPUs';
  }

  override render() {
    const pct = (r: number | null): string => `${Math.round(Math.min(1, Math.max(0, r ?? 0)) * 100)}%`;
    return html`<section class="panel" aria-label=${this.heading}>
      <header><h2>${this.heading}</h2><span class="muted">${this.cards.length} GPU${this.cards.length === 1 ? '' : 's'}</span></header>
      ${this.cards.length === 0 ? html`<div class="empty">No GPU telemetry from this host.</div>` : html`<div class="grid">
        ${this.cards.map((c) => html`<article class="gpu" aria-label=${c.title}>
          <h3 title=${c.model ?? ''}>${c.title}</h3><div class="gpu-id" title="hw.id (the GPU's uuid)">${c.id}</div>
          <div class="caption">Utilization</div>
          <div class="util" aria-label="utilization">${formatPercent(c.util, 0)}</div>
          <div class="bar" role="meter" aria-label="GPU ${c.id} utilization" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round((c.util ?? 0) * 100)}><span style="width:${pct(c.util)}"></span></div>
          <dl>
            <dt>Memory</dt><dd>${formatBytes(c.memUsed)} / ${formatBytes(c.memLimit)}</dd>
          </dl>
          <div class="bar mem" role="meter" aria-label="GPU ${c.id} memory" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round((c.memUtil ?? 0) * 100)}><span style="width:${pct(c.memUtil)}"></span></div>
          <dl>
            <dt>Temperature</dt><dd>${formatValue('celsius', c.temperature)}</dd>
            <dt>Power</dt><dd>${formatValue('watts', c.power)}</dd>
            <dt>Graphics clock</dt><dd>${formatClock(c.clockGraphics)}</dd>
            <dt>Memory clock</dt><dd>${formatClock(c.clockMemory)}</dd>
          </dl>
        </article>`)}
      </div>`}
    </section>`;
  }
}
customElements.define('gpu-panel', GpuPanel);
