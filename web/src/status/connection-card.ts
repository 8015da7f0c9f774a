import { LitElement, html, css } from 'lit';
import type { AgentStatusInfo } from '../api/api-types.ts';
import { formatAge, formatBytes, formatCount, formatCountOf, formatPercent, NONE } from '../format/units.ts';
import { panelStyles } from '../theme/panel-styles.ts';

const STATE: Readonly<Record<string, [string, string]>> = {
  connected: ['ok', 'Connected to the collector'],
  connecting: ['warn', 'Connecting to the collector…'],
  disconnected: ['bad', 'Collector unreachable: buffering locally'],
  disabled: ['warn', 'No collector configured: local only'],
};

/**
 * `<connection-card>`: what an operator on the box looks for first: is the collector connected
 * and acknowledging (frames in flight, how long the oldest waits, ack timeouts), how much is waiting in the buffer (frames, bytes of the cap, oldest sequence), what was
 * dropped, and whether sampling is progressing.
 *
 * @property status - the agent's /api/status (AgentStatusInfo), null before the first answer
 * @property reachable - false when the last /api/status request failed (the agent is down)
 * @property now - reference time for ages
 */
export class ConnectionCard extends LitElement {
  static override properties = { status: { attribute: false }, reachable: { type: Boolean }, now: { type: Number } };
  static override styles = [panelStyles, css`
    .grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 260px), 1fr)); }
    .state { font-size: 20px; font-weight: 650; display: flex; align-items: center; gap: 8px; }
    .state .dot { width: 14px; height: 14px; margin: 0; }
    .caption { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
    .big { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
    .bar { height: 8px; border-radius: 4px; background: var(--grid); overflow: hidden; margin: 6px 0; }
    .bar > span { display: block; height: 100%; background: var(--accent); }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 6px 0 0; font-size: 13px; }
    dt { color: var(--muted); }
    dd { margin: 0; font-family: var(--mono); overflow-wrap: anywhere; }
    .err { color: var(--bad); }
  `];

  declare status: AgentStatusInfo | null;
  declare reachable: boolean;
  declare now: number;

  constructor() {
    super();
    this.status = null;
    this.reachable = true;
    this.now = Date.now();
  }

  override render() {
    const s = this.status;
    if (!s) return html`<section class="panel"><div class="state"><span class="dot warn"></span>${this.reachable ? 'Waiting for the agent…' : 'The agent does not answer'}</div></section>`;
    const [cls, text] = STATE[s.collector.state] ?? ['warn', s.collector.state];
    const onDisk = s.buffer.diskBytes ?? s.buffer.bytes;
    const fill = s.buffer.capBytes > 0 ? onDisk / s.buffer.capBytes : 0;
    const dropped = Object.entries(s.samples.dropped).filter(([, n]) => n > 0);
    return html`<div class="grid">
      <section class="panel" aria-label="Collector connection">
        <h2>Collector</h2>
        <div class="state" role="status"><span class="dot ${this.reachable ? cls : 'bad'}"></span>${this.reachable ? text : 'Agent not answering: showing its last status'}</div>
        <dl>
          <dt>URL</dt><dd>${s.collector.url ?? NONE}</dd>
          <dt>Connected for</dt><dd>${s.collector.connectedSince ? formatAge(this.now - s.collector.connectedSince) : NONE}</dd>
          <dt>Last ack</dt><dd>${s.collector.lastAckAt ? `${formatAge(this.now - s.collector.lastAckAt)} ago` : NONE}</dd>
          <dt>In flight</dt><dd>${inFlight(s.collector, this.now)}</dd>
          <dt>Ack timeouts</dt><dd class=${(s.collector.ackTimeouts ?? 0) > 0 ? 'err' : ''}>${s.collector.ackTimeouts === undefined ? NONE : `${formatCount(s.collector.ackTimeouts)}${s.collector.ackTimeoutMs === undefined ? '' : ` (after ${formatAge(s.collector.ackTimeoutMs)} without an ack)`}`}</dd>
          ${s.collector.lastError ? html`<dt>Last error</dt><dd class="err">${s.collector.lastError}</dd>` : null}
        </dl>
      </section>
      <section class="panel" aria-label="Buffer">
        <h2>Buffer (waiting to ship)</h2>
        <div class="caption">Frames waiting</div>
        <div class="big" id="buffer-frames">${formatCountOf(s.buffer.frames, 'frame')}</div>
        <div class="bar" role="meter" aria-label="Buffer fill" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(fill * 100)}><span style="width:${Math.min(100, fill * 100)}%"></span></div>
        <dl>
          <dt>On disk</dt><dd>${formatBytes(onDisk)} of ${formatBytes(s.buffer.capBytes)} (${formatPercent(fill)})</dd>
          <dt>Frame bytes</dt><dd>${formatBytes(s.buffer.bytes)}</dd>
          <dt>Oldest seq</dt><dd>${s.buffer.oldestSeq ?? NONE}</dd>
          <dt>Samples buffered</dt><dd>${formatCount(s.samples.buffered)}</dd>
          <dt>Dropped samples</dt><dd class=${s.buffer.droppedSamples > 0 ? 'err' : ''}>${formatCount(s.buffer.droppedSamples)}</dd>
        </dl>
      </section>
      <section class="panel" aria-label="Sampling">
        <h2>Sampling</h2>
        <dl>
          <dt>Produced</dt><dd>${formatCount(s.samples.produced)}</dd>
          <dt>Acknowledged</dt><dd>${formatCount(s.samples.acked)}</dd>
          <dt>Dropped</dt><dd>${dropped.length === 0 ? '0' : dropped.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')}</dd>
          <dt>Ticks</dt><dd>${s.sampler ? `${formatCount(s.sampler.ticks)} every ${s.sampler.intervalMs} ms, ${formatCount(s.sampler.lateTicks)} late` : NONE}</dd>
          <dt>Last tick</dt><dd>${s.sampler?.lastTickAt ? `${formatAge(this.now - s.sampler.lastTickAt)} ago` : NONE}</dd>
          <dt>Sources</dt><dd>${(s.sources ?? []).map((src) => `${src.name}: ${src.state}`).join(', ') || NONE}</dd>
          <dt>Up for</dt><dd>${formatAge(this.now - s.startedAt)}</dd>
        </dl>
      </section>
    </div>`;
  }
}
/** Frames awaiting an ack, and for how long the oldest has waited. */
function inFlight(c: AgentStatusInfo['collector'], now: number): string {
  if (c.framesInFlight === undefined) return NONE;
  if (c.framesInFlight === 0 || c.awaitingAckSince === null || c.awaitingAckSince === undefined) return formatCountOf(c.framesInFlight, 'frame');
  return `${formatCountOf(c.framesInFlight, 'frame')}, waiting ${formatAge(now - c.awaitingAckSince)} for an ack`;
}

customElements.define('connection-card', ConnectionCard);
