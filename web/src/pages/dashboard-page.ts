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
import { parseRoute, routeHref } from './route.ts';
import type { Route } from './route.ts';
import { seriesLabel } from '../charts/series-datasets.ts';
import { pageStyles } from './page-styles.ts';
import '../fleet/fleet-table.ts';
import '../providers/provider-table.ts';
import '../charts/spc-chart.ts';
import '../controls/time-range-picker.ts';
import '../theme/theme-toggle.ts';
import { AnalyticsController } from '../analytics/analytics-controller.ts';
import { seriesOverlays } from '../analytics/series-overlays.ts';
import '../analytics/capacity-row.ts';

/**
 * `<sigmascope-dashboard>`: the collector's dashboard. Fleet → host → series drill-down,
 * providers and violations, a time range with live mode and pause, and the theme switch.
 * Composes components; the LiveController owns all data. The place lives in the URL hash.
 */
export class DashboardPage extends LitElement {
  static override properties = { route: { state: true } };
  static override styles = pageStyles;

  declare route: Route;
  private readonly live = new LiveController(this, 'collector');
  private readonly analytics = new AnalyticsController(this, this.live);
  private readonly onHash = (): void => { this.route = parseRoute(location.hash); };

  constructor() {
    super();
    this.route = parseRoute(location.hash);
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
    if (r.view === 'host') {
      this.live.loadSeries(hostSeriesRequests(r.agent));
      this.analytics.loadCapacity(r.agent);
    }
    if (r.view === 'series') {
      this.live.loadSeries([{ name: r.name, agent: r.agent, labels: r.labels }]);
      this.live.loadSpc(r.agent, r.name, r.labels);
      this.analytics.loadSeries(r.agent, r.name, r.labels);
    }
    if (r.view === 'providers') this.analytics.loadEnergy();
  }

  override render() {
    const c = this.live;
    const now = Date.now();
    const names = new Map(c.agents.map((a) => [a.id, a.name ?? a.hostname ?? a.id]));
    const nav = (view: Route['view'], label: string, href: string) =>
      html`<a href=${href} aria-current=${this.route.view === view || (view === 'fleet' && (this.route.view === 'host' || this.route.view === 'series')) ? 'page' : 'false'}>${label}</a>`;
    const feed = c.feed === 'live' ? (c.paused ? ['warn', 'paused'] : ['ok', 'live']) : c.feed === 'connecting' ? ['warn', 'connecting…'] : ['bad', 'reconnecting…'];
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector('main')?.focus(); }}>Skip to content</a>
      <div class="top">
        <a class="brand" href="#/">σ Sigmascope</a>
        <nav aria-label="Views">${nav('fleet', 'Fleet', '#/')}${nav('providers', 'Providers', '#/providers')}${nav('violations', 'Violations', '#/violations')}</nav>
        <span class="spacer"></span>
        <span class="feed" role="status"><span class="dot ${feed[0]}"></span>${feed[1]}</span>
        <time-range-picker .range=${c.range} .paused=${c.paused}
          @range-change=${(e: CustomEvent<TimeRange>) => c.setRange(e.detail)} @pause-change=${(e: CustomEvent<{ paused: boolean }>) => c.setPaused(e.detail.paused)}></time-range-picker>
        <theme-toggle></theme-toggle>
      </div>
      <main id="main" tabindex="-1"
        @agent-select=${(e: CustomEvent<{ id: string }>) => { location.hash = routeHref({ view: 'host', agent: e.detail.id }); }}
        @series-select=${(e: CustomEvent<{ agent: string; name: string; labels: Record<string, string> }>) => { location.hash = routeHref({ view: 'series', ...e.detail }); }}
        @provider-select=${(e: CustomEvent<{ agent: string }>) => { location.hash = routeHref({ view: 'host', agent: e.detail.agent }); }}
        @violation-state=${(e: CustomEvent<{ id: string | number; state: ViolationState }>) => void c.setViolationState(e.detail.id, e.detail.state)}>
        ${c.error ? html`<div class="banner" role="alert">${c.error}</div>` : null}
        ${this.view(now, names)}
      </main>`;
  }

  private view(now: number, names: ReadonlyMap<string, string>) {
    const c = this.live;
    const r = this.route;
    switch (r.view) {
      case 'fleet':
        return html`<fleet-table .rows=${fleetRows(c.agents, c.window.latest(), c.violations, now)} .now=${now}></fleet-table>
          <violations-list heading="Open violations" .violations=${c.violations} .hostNames=${names} .now=${now} .limit=${10} .editable=${c.role === 'admin'}></violations-list>`;
      case 'providers':
        return html`<provider-table .rows=${providerLines(c.providers, names, this.analytics.energy)}></provider-table>`;
      case 'violations':
        return html`<violations-list .violations=${c.violations} .hostNames=${names} .now=${now} .editable=${c.role === 'admin'}></violations-list>`;
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
            .series=${toChartSeries(c.window.select({ name: r.name, agent: r.agent, labels: r.labels }))}></series-panel>
          <spc-chart heading=${title} .unit=${unitOf(r.name)} .result=${c.spc.get(c.spcKey(r.agent, r.name, r.labels)) ?? null}></spc-chart>
          <violations-list heading="Violations of this series" .hostNames=${names} .now=${now} .editable=${c.role === 'admin'}
            .violations=${c.violations.filter((v) => v.agent === r.agent && v.name === r.name && Object.entries(r.labels).every(([k, x]) => v.labels[k] === x))}></violations-list>`;
      }
    }
  }
}
customElements.define('sigmascope-dashboard', DashboardPage);
