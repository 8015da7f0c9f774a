import { LitElement, html } from 'lit';
import type { PropertyValues } from 'lit';
import { LiveController } from '../live/live-controller.ts';
import { fleetRows } from '../fleet/fleet-rows.ts';
import { providerLines } from '../providers/provider-rows.ts';
import { toChartSeries } from '../charts/series-datasets.ts';
import { rangeBounds } from '../controls/time-range.ts';
import type { TimeRange } from '../controls/time-range.ts';
import type { ViolationState } from '../api/api-types.ts';
import { unitOf } from '../format/units.ts';
import { hostSeriesRequests, hostView } from './host-view.ts';
import { parseRoute, parseViewTime, routeHref, withViewTime } from './route.ts';
import type { Route, ViolationLimits } from './route.ts';
import type { Labels } from '@sigmascope/protocol/series';
import { seriesKey } from '@sigmascope/protocol/series';
import { isCounter } from '@sigmascope/protocol/counters';
import '../session/sign-in-form.ts';
import { seriesLabel } from '../charts/series-datasets.ts';
import { pageStyles } from './page-styles.ts';
import { IncidentsController } from '../incidents/incidents-controller.ts';
import { incidentsListView, incidentView } from '../incidents/incidents-view.ts';
import '../fleet/fleet-table.ts';
import '../fleet/export-status.ts';
import '../providers/provider-table.ts';
import '../charts/spc-chart.ts';
import '../controls/time-range-picker.ts';
import '../theme/theme-toggle.ts';
import '../alerts/alerts-view.ts';
import '../providers/capability-table.ts';
import { PolledJson } from '../api/polled-json.ts';
import type { AlertView, Silence } from '@sigmascope/protocol/alert-view';
import type { CapabilityReport } from '@sigmascope/protocol/capability-report';

/** How long before and after a violation its chart shows. */
const VIOLATION_BEFORE_MS = 50 * 60_000;
const VIOLATION_AFTER_MS = 10 * 60_000;
import '../runs/runs-list.ts';
import '../runs/run-view.ts';
import '../runs/run-compare-view.ts';
import { AnalyticsController } from '../analytics/analytics-controller.ts';
import { seriesOverlays } from '../analytics/series-overlays.ts';
import '../analytics/capacity-row.ts';

/**
 * `<sigmascope-dashboard>`: the collector's dashboard. Fleet → host → series drill-down,
 * providers and violations, a time range with live mode and pause, and the theme switch. With a
 * single host, the fleet page shows that host live under the table. A violation opens its
 * series' chart on the limits that raised it, around its time. Without a session it shows the
 * sign-in form. Composes components; the LiveController owns all data. The place, the range, its
 * end and pause live in the URL hash.
 */
export class DashboardPage extends LitElement {
  static override properties = { route: { state: true }, allIncidents: { state: true } };
  static override styles = pageStyles;

  declare route: Route;
  declare allIncidents: boolean;
  private readonly live = new LiveController(this, 'collector');
  private readonly onHash = (): void => {
    this.route = parseRoute(location.hash);
    this.applyViewTime();
  };
  private readonly alerts = new PolledJson<{ alerts: AlertView[] }>(this, () => (this.route.view === 'alerts' ? '/api/v1/alerts' : null), 5_000);
  private readonly silences = new PolledJson<{ silences: Silence[] }>(this, () => (this.route.view === 'alerts' ? '/api/v1/silences' : null), 5_000);
  private readonly capability = new PolledJson<CapabilityReport>(this, () => (this.route.view === 'providers' ? '/api/v1/slo/report?day=today' : null), 60_000);
  private readonly incidents = new IncidentsController(this);
  private readonly analytics = new AnalyticsController(this, this.live);

  constructor() {
    super();
    this.route = parseRoute(location.hash);
    this.applyViewTime();
    this.allIncidents = false;
  }

  /** Takes the range, end and pause the URL asks for. */
  private applyViewTime(): void {
    const t = parseViewTime(location.hash);
    const c = this.live;
    const range = { spanMs: t.spanMs ?? c.range.spanMs, end: t.end === undefined ? (t.spanMs === null ? c.range.end : null) : t.end };
    if (range.spanMs !== c.range.spanMs || range.end !== c.range.end) c.setRange(range);
    if (t.paused !== c.paused) c.setPaused(t.paused);
  }

  /** Writes the controller's range and pause into the URL (a new history entry for a new range). */
  private writeViewTime(push: boolean): void {
    const href = withViewTime(location.hash || '#/', { range: this.live.range, paused: this.live.paused });
    if (href === location.hash) return;
    if (push) location.hash = href;
    else history.replaceState(null, '', href);
  }

  /** Opens the series of a violation on the limits that raised it, over the hour around it. */
  private openViolation(d: { agent: string; name: string; labels: Labels; limits?: ViolationLimits }): void {
    const href = routeHref({ view: 'series', agent: d.agent, name: d.name, labels: d.labels, ...(d.limits ? { limits: d.limits } : {}) });
    if (!d.limits) return void (location.hash = withViewTime(href, { range: this.live.range, paused: false }));
    const end = d.limits.at + VIOLATION_AFTER_MS;
    location.hash = withViewTime(href, { range: { spanMs: VIOLATION_BEFORE_MS + VIOLATION_AFTER_MS, end: end >= Date.now() ? null : end }, paused: false });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const r = this.route;
    for (const p of [this.alerts, this.silences, this.capability]) p.follow();
    const only = this.live.agents.length === 1 ? this.live.agents[0]?.id : undefined;
    if (r.view === 'host') {
      this.live.loadSeries(hostSeriesRequests(r.agent));
      this.live.loadLatest(r.agent);
      this.analytics.loadCapacity(r.agent);
    }
    if (r.view === 'fleet' && only !== undefined) this.live.loadSeries(hostSeriesRequests(only));
    if (r.view === 'series') {
      this.live.loadSeries([{ name: r.name, agent: r.agent, labels: r.labels }]);
      this.live.loadSpc(r.agent, r.name, r.labels, r.limits);
      this.analytics.loadSeries(r.agent, r.name, r.labels);
    }
    if (r.view === 'providers') this.analytics.loadEnergy();
    const names = new Map(this.live.agents.map((a) => [a.id, a.name ?? a.hostname ?? a.id]));
    this.incidents.show(r.view === 'incidents' ? { kind: 'list', all: this.allIncidents } : r.view === 'incident' ? { kind: 'one', id: r.id } : null, (a) => names.get(a) ?? a);
  }

  override render() {
    const c = this.live;
    const now = Date.now();
    const names = new Map(c.agents.map((a) => [a.id, a.name ?? a.hostname ?? a.id]));
    const nav = (view: Route['view'], label: string, href: string) =>
      html`<a href=${href} aria-current=${this.route.view === view || (view === 'fleet' && (this.route.view === 'host' || this.route.view === 'series')) || (view === 'runs' && (this.route.view === 'run' || this.route.view === 'run-compare')) || (view === 'incidents' && this.route.view === 'incident') ? 'page' : 'false'}>${label}</a>`;
    const r = this.route;
    const feed = c.signIn ? ['warn', 'signed out'] : c.feed === 'live' ? (c.paused ? ['warn', 'paused'] : ['ok', 'live']) : c.feed === 'connecting' ? ['warn', 'connecting…'] : ['bad', 'reconnecting…'];
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector('main')?.focus(); }}>Skip to content</a>
      <div class="top">
        <a class="brand" href="#/">σ Sigmascope</a>
        <nav aria-label="Views">${nav('fleet', 'Fleet', '#/')}${nav('providers', 'Providers', '#/providers')}${nav('violations', 'Violations', '#/violations')}${nav('incidents', 'Incidents', '#/incidents')}${nav('alerts', 'Alerts', '#/alerts')}${nav('runs', 'Runs', '#/runs')}</nav>
        <span class="spacer"></span>
        <span class="feed" role="status"><span class="dot ${feed[0]}"></span>${feed[1]}</span>
        <time-range-picker .range=${c.range} .paused=${c.paused}
          @range-change=${(e: CustomEvent<TimeRange>) => { c.setRange(e.detail); this.writeViewTime(true); }} @pause-change=${(e: CustomEvent<{ paused: boolean }>) => { c.setPaused(e.detail.paused); this.writeViewTime(false); }}></time-range-picker>
        <theme-toggle></theme-toggle>
      </div>
      <main id="main" tabindex="-1"
        @agent-select=${(e: CustomEvent<{ id: string }>) => { location.hash = routeHref({ view: 'host', agent: e.detail.id }); }}
        @series-select=${(e: CustomEvent<{ agent: string; name: string; labels: Labels; limits?: ViolationLimits }>) => this.openViolation(e.detail)}
        @signed-in=${() => location.reload()}
        @provider-select=${(e: CustomEvent<{ agent: string }>) => { location.hash = routeHref({ view: 'host', agent: e.detail.agent }); }}
        @violation-state=${(e: CustomEvent<{ id: string | number; state: ViolationState }>) => void c.setViolationState(e.detail.id, e.detail.state)}>
        ${c.signIn ? html`<sign-in-form></sign-in-form>` : html`
        ${c.error ? html`<div class="banner" role="alert">${c.error}</div>` : null}
        ${(r.view === 'incidents' || r.view === 'incident') && this.incidents.error ? html`<div class="banner" role="alert">${this.incidents.error}</div>` : null}
        ${this.view(now, names)}`}
      </main>`;
  }

  private view(now: number, names: ReadonlyMap<string, string>) {
    const c = this.live;
    const r = this.route;
    switch (r.view) {
      case 'fleet': {
        // One host (the first run of `start`): its charts, live, under the table.
        const only = c.agents.length === 1 ? c.agents[0] : undefined;
        const onlyName = only ? (names.get(only.id) ?? only.id) : '';
        return html`<fleet-table .rows=${fleetRows(c.agents, c.window.latest(), c.violations, now)} .now=${now}></fleet-table>
          <export-status></export-status>
          ${only ? hostView(c, only.id, { now, hostName: onlyName, drill: true, editableViolations: c.role === 'admin', fitToData: true }) : html`
          <violations-list heading="Open violations" .violations=${c.violations} .hostNames=${names} .now=${now} .limit=${10} .editable=${c.role === 'admin'}></violations-list>`}`;
      }
      case 'providers':
        return html`<provider-table .rows=${providerLines(c.providers, names, this.analytics.energy)}></provider-table>
          <capability-table .report=${this.capability.value}></capability-table>`;
      case 'violations':
        return html`<violations-list .violations=${c.violations} .hostNames=${names} .now=${now} .editable=${c.role === 'admin'}></violations-list>`;
      case 'incidents':
        return html`<div @incidents-filter=${(e: CustomEvent<{ all: boolean }>) => { this.allIncidents = e.detail.all; }}>${incidentsListView(this.incidents, this.allIncidents, names, now)}</div>`;
      case 'incident':
        return html`<div class="crumbs"><a href="#/incidents">Incidents</a><span>›</span><h1>${this.incidents.incident?.cause ?? ''} incident</h1></div>
          ${incidentView(this.incidents, names, c.role === 'admin', now)}`;
      case 'alerts': {
        const error = this.alerts.error ?? this.silences.error;
        return html`${error ? html`<div class="banner" role="alert">${error}</div>` : null}
          <alerts-view .alerts=${this.alerts.value?.alerts ?? []} .silences=${this.silences.value?.silences ?? []} .editable=${c.role === 'admin'} .now=${now}
            @alert-ack=${(e: CustomEvent<{ id: string }>) => void this.alerts.send('POST', `/api/v1/alerts/${encodeURIComponent(e.detail.id)}`, { state: 'acknowledged' })}
            @silence-create=${(e: CustomEvent<{ matchers: Record<string, string>; endsAt: number; comment: string }>) => void this.silences.send('POST', '/api/v1/silences', e.detail).then(async (ok) => { if (ok) await this.alerts.refresh(); })}
            @silence-expire=${(e: CustomEvent<{ id: string }>) => void this.silences.send('DELETE', `/api/v1/silences/${encodeURIComponent(e.detail.id)}`).then(async (ok) => { if (ok) await this.alerts.refresh(); })}></alerts-view>`;
      }
      case 'runs':
        return html`<runs-list></runs-list>`;
      case 'run':
        return html`<div class="crumbs"><a href="#/runs">Runs</a><span>›</span><h1>${r.id}</h1></div><run-view run-id=${r.id}></run-view>`;
      case 'run-compare':
        return html`<div class="crumbs"><a href="#/runs">Runs</a><span>›</span><h1>B against A</h1></div><run-compare-view a=${r.a} b=${r.b}></run-compare-view>`;
      case 'host': {
        const host = names.get(r.agent) ?? r.agent;
        return html`<div class="crumbs"><a href="#/">Fleet</a><span>›</span><h1>${host}</h1></div>
          <capacity-row heading="Capacity of ${host}" .result=${this.analytics.capacity.get(r.agent) ?? null}></capacity-row>
          ${hostView(c, r.agent, { now, hostName: host, drill: true, editableViolations: c.role === 'admin', fitToData: true })}`;
      }
      case 'series': {
        const host = names.get(r.agent) ?? r.agent;
        const title = seriesLabel(r) || r.name;
        const { from, to } = rangeBounds(c.range, now);
        const overlays = seriesOverlays(this.analytics, r, c.violations, this);
        return html`<div class="crumbs"><a href="#/">Fleet</a><span>›</span><a href=${routeHref({ view: 'host', agent: r.agent })}>${host}</a><span>›</span><h1>${title}</h1></div>
          <series-panel heading=${`${r.name} on ${host}`} .bounds=${{ min: from, max: Math.max(to, overlays.end ?? to) }} .overlays=${overlays.list}
            .series=${toChartSeries(c.window.select({ name: r.name, agent: r.agent, labels: r.labels }), names)}></series-panel>
          ${r.limits ? html`<p class="muted" role="note">The chart below uses the limits the violation at ${new Date(r.limits.at).toLocaleString()} was raised with (the agent's baseline); the ringed point is the violation. <a href=${routeHref({ view: 'series', agent: r.agent, name: r.name, labels: r.labels })}>Limits from this range instead</a></p>` : null}
          <spc-chart heading=${title} .unit=${unitOf(r.name, isCounter(r.name))} host=${host} series-key=${seriesKey(r.name, r.labels)} .highlight=${r.limits?.at ?? null}
            ?editable=${c.role === 'admin' && !r.limits} @rebaseline=${() => void c.rebaselineSeries(r.agent, r.name, r.labels)}
            .result=${c.spc.get(c.spcKey(r.agent, r.name, r.labels, r.limits)) ?? null}></spc-chart>
          <violations-list heading="Violations of this series" .hostNames=${names} .now=${now} .editable=${c.role === 'admin'}
            .violations=${c.violations.filter((v) => v.agent === r.agent && v.name === r.name && Object.entries(r.labels).every(([k, x]) => v.labels[k] === x))}></violations-list>`;
      }
    }
  }
}
customElements.define('sigmascope-dashboard', DashboardPage);
