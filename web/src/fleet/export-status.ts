import { LitElement, html, css } from 'lit';
import { formatAge, formatCount } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';
import { exportState, type ExportLine } from './export-state.ts';

export type { ExportLine } from './export-state.ts';

const PROTOCOL: Readonly<Record<string, string>> = { remote_write: 'Remote-write', otlp: 'OTLP' };

/**
 * `<export-status>`: where this collector hands its samples on (remote-write, OTLP) and how far
 * behind each endpoint is. Reads `/api/v1/stats` every 10 s on its own (the figures are not in the
 * live feed); renders nothing when no endpoint is configured.
 *
 * @property lines - set instead of polling (tests, screenshots)
 */
export class ExportStatus extends LitElement {
  static override properties = { lines: { attribute: false } };
  static override styles = [panelStyles, css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
    li { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
    .target { overflow-wrap: anywhere; }
    .err { color: var(--bad); overflow-wrap: anywhere; }
  `];

  declare lines: readonly ExportLine[] | null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.lines = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.lines !== null) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), 10_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    try {
      const res = await fetch('/api/v1/stats', { headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const body = (await res.json()) as { export?: ExportLine[] };
      this.lines = body.export ?? [];
    } catch {
      // The fleet table shows connectivity; this line simply keeps its last figures.
    }
  }

  override render() {
    const lines = this.lines ?? [];
    if (lines.length === 0) return null;
    return html`<section class="panel" aria-label="Export">
      <header><h2>Export</h2><span class="muted">samples handed on to other systems</span></header>
      <ul>${lines.map((l) => {
        const { behind, tone, text } = exportState(l);
        return html`<li>
          <span><span class="dot ${tone}"></span><strong>${PROTOCOL[l.protocol] ?? l.protocol}</strong></span>
          <span class="mono target">${l.target}</span>
          <span>${text}${l.lastError !== null && behind ? `, ${formatAge(l.lagSeconds * 1000)} behind` : ''}</span>
          <span class="muted mono">${formatCount(l.samplesSent)} sent · ${formatCount(l.samplesDropped)} dropped${behind ? ` · ${formatCount(l.pendingRecords)} records waiting` : ''}</span>
          ${l.lastError !== null ? html`<span class="err">${l.lastError}</span>` : ''}
        </li>`;
      })}</ul>
    </section>`;
  }
}
customElements.define('export-status', ExportStatus);
