import { LitElement, html } from 'lit';
import { LiveController } from '../live/live-controller.ts';
import { hostView } from './host-view.ts';
import { pageStyles } from './page-styles.ts';
import '../status/connection-card.ts';
import '../status/probe-status.ts';
import '../status/spc-watch-status.ts';
import '../controls/time-range-picker.ts';
import '../theme/theme-toggle.ts';

/**
 * `<sigmascope-status>`: the agent's own page on 127.0.0.1. This host only: the connection and
 * buffer state first, its probes (targets, last runs, failures, budget) and its SPC watch (with
 * a re-baseline button per series), then the same single-host view as the dashboard, fed by the agent's
 * /api/status and /api/live, so it keeps working while the collector is down.
 */
export class StatusPage extends LitElement {
  static override styles = pageStyles;
  private readonly live = new LiveController(this, 'agent');

  protected override updated(): void {
    const s = this.live.status;
    if (s) document.title = `${s.name ?? s.hostname} · Sigmascope agent`;
  }

  override render() {
    const c = this.live;
    const s = c.status;
    const now = Date.now();
    const host = s?.name ?? s?.hostname ?? 'this host';
    const feed = c.feed === 'live' ? (c.paused ? ['warn', 'paused'] : ['ok', 'live']) : c.feed === 'connecting' ? ['warn', 'connecting…'] : ['bad', 'agent not answering'];
    return html`
      <div class="top">
        <span class="brand">σ Sigmascope agent</span>
        <span class="crumbs"><h1>${host}</h1>${s ? html`<span class="muted">${s.version} · ${s.agentId}</span>` : null}</span>
        <span class="spacer"></span>
        <span class="feed" role="status"><span class="dot ${feed[0]}"></span>${feed[1]}</span>
        <time-range-picker live-only .range=${c.range} .paused=${c.paused} @pause-change=${(e: CustomEvent<{ paused: boolean }>) => c.setPaused(e.detail.paused)}></time-range-picker>
        <theme-toggle></theme-toggle>
      </div>
      <main id="main">
        <connection-card .status=${s} .reachable=${c.error === null} .now=${now}></connection-card>
        ${s ? html`
          <probe-status .probes=${Array.isArray(s.probes) ? null : (s.probes ?? null)} .now=${now}></probe-status>
          <spc-watch-status .spc=${s.spc ?? null} .now=${now} @rebaseline=${(e: CustomEvent<{ key: string }>) => void c.rebaseline(e.detail.key)}></spc-watch-status>
          ${hostView(c, s.agentId, { now, hostName: host, drill: false, editableViolations: false, fitToData: true })}` : null}
      </main>`;
  }
}
customElements.define('sigmascope-status', StatusPage);
