/**
 * The one owner of a page's data: the live feed (EventSource on the SSE endpoint), the initial
 * and periodic fetches, and the writes (violation state). Components never fetch; pages read
 * this controller's fields in render and call its methods from event handlers.
 *
 *   EventSource(live) ──tick──▶ onFrame ──▶ window.add(points) ──▶ host.requestUpdate()
 *                                   │ paused: held in `held` until resume          │
 *                                   └──────── after render (rAF) ◀────────────────┘
 *                                             latency.record(now − point.ts)
 *
 * Two modes: 'collector' (dashboard: agents, violations, providers, series, spc from /api/v1)
 * and 'agent' (status page: polls /api/status only, so it keeps working with the collector down).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveFrame } from '@sigmascope/protocol/live';
import type { Labels } from '@sigmascope/protocol/series';
import { seriesKey } from '@sigmascope/protocol/series';
import type { ProviderRow } from '@sigmascope/protocol/provider-row';
import type { AgentInfo, AgentStatusInfo, SeriesResponse, Violation, ViolationState } from '../api/api-types.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { DEFAULT_RANGE, rangeBounds, rangeQuery } from '../controls/time-range.ts';
import type { TimeRange } from '../controls/time-range.ts';
import { LatencyRecorder } from './latency-recorder.ts';
import type { LatencyReport } from './latency-recorder.ts';
import { SeriesWindow } from './series-window.ts';
import { violationsFromEvents } from './live-events.ts';

/** Which server the page talks to. */
export type LiveMode = 'collector' | 'agent';

/** State of the live feed as the page shows it. */
export type FeedState = 'connecting' | 'live' | 'reconnecting';

/** One series a view wants history for. */
export interface SeriesRequest {
  readonly name: string;
  readonly agent?: string;
  readonly labels?: Labels;
}

const POLL_MS = { collector: 5_000, agent: 2_000 } as const;
const MAX_HELD_FRAMES = 2_000;
const SPC_REFRESH_MS = 15_000;

declare global {
  interface Window {
    /** Recent sample → screen latencies of the live view (read by browser tests). */
    __sigmascopeLatency?: LatencyReport;
  }
}

/**
 * The page's data owner. Created by the page element (`new LiveController(this, mode)`); opens the
 * feed when the page connects and closes it when the page disconnects. Never renders.
 */
export class LiveController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  /** 'collector' or 'agent': decides the endpoints. */
  readonly mode: LiveMode;
  /** Points held for the charts. */
  readonly window: SeriesWindow;
  readonly latency = new LatencyRecorder();
  agents: readonly AgentInfo[] = [];
  violations: readonly Violation[] = [];
  providers: readonly ProviderRow[] = [];
  /** The signed-in role on the collector (`viewer` or `admin`); null until known or on the agent's page. */
  role: 'viewer' | 'admin' | null = null;
  /** The agent's /api/status (agent mode); null until the first answer. */
  status: AgentStatusInfo | null = null;
  /** spcChart results by request key (see spcKey). */
  readonly spc = new Map<string, unknown>();
  feed: FeedState = 'connecting';
  /** The last failed request's message, cleared by the next success. */
  error: string | null = null;
  /** The collector refused the page's credentials (401): the page shows the sign-in form. */
  signIn = false;
  lastFrameAt: number | null = null;
  range: TimeRange = DEFAULT_RANGE;
  paused = false;
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private held: LiveFrame[] = [];
  private readonly loaded = new Set<string>();
  private readonly spcAt = new Map<string, number>();
  private violationsDue: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every state change, so a violations fetch sent before one cannot undo it. */
  private violationsVersion = 0;

  constructor(host: ReactiveControllerHost, mode: LiveMode) {
    this.host = host;
    this.mode = mode;
    this.window = new SeriesWindow(7200, mode === 'agent');
    host.addController(this);
  }

  hostConnected(): void {
    const recorder = this.latency;
    Object.defineProperty(window, '__sigmascopeLatency', { configurable: true, get: () => recorder.report() });
    this.source = new EventSource(this.mode === 'collector' ? '/api/v1/live' : '/api/live');
    this.source.onopen = () => { this.feed = 'live'; this.host.requestUpdate(); };
    this.source.onerror = () => { this.feed = 'reconnecting'; this.host.requestUpdate(); };
    this.source.addEventListener('tick', (e) => this.onFrame(JSON.parse((e as MessageEvent<string>).data) as LiveFrame));
    void this.poll(true);
    this.timer = setInterval(() => void this.poll(false), POLL_MS[this.mode]);
  }

  hostDisconnected(): void {
    this.source?.close();
    this.source = null;
    if (this.timer) clearInterval(this.timer);
    if (this.violationsDue) clearTimeout(this.violationsDue);
  }

  /** Changes the range: history is reloaded for what the views ask next. */
  setRange(range: TimeRange): void {
    this.range = range;
    this.loaded.clear();
    this.spc.clear();
    this.spcAt.clear();
    if (this.mode === 'collector') this.window.clear();
    void this.poll(true);
    this.host.requestUpdate();
  }

  /** Freezes (true) or resumes (false) the live view; frames arriving meanwhile are held. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) {
      const held = this.held;
      this.held = [];
      for (const f of held) this.apply(f);
    }
    this.host.requestUpdate();
  }

  /** Loads history for each request once per range (collector mode; the agent keeps no history). */
  loadSeries(requests: readonly SeriesRequest[]): void {
    if (this.mode !== 'collector') return;
    for (const r of requests) {
      const key = `${r.agent ?? ''}\u0000${seriesKey(r.name, r.labels ?? {})}`;
      if (this.loaded.has(key)) continue;
      this.loaded.add(key);
      this.window.watch(r);
      const q = new URLSearchParams({ name: r.name, ...(r.agent ? { agent: r.agent } : {}), ...(r.labels ?? {}) });
      // A failed load is not retried until the range changes: the error banner says why.
      void this.get<SeriesResponse>(`/api/v1/series?${q}&${rangeQuery(this.range, Date.now())}`).then((res) => {
        for (const s of res?.series ?? []) this.window.seed(s.agent ?? r.agent ?? '', s.name, s.labels, s.points);
        this.host.requestUpdate();
      });
    }
  }

  /**
   * The newest point in the range of every series of one agent (collector mode), so a host's
   * metric list and cards are complete for a past range too, where no live point arrives: one
   * request for the metric names, then one `limit=1` request per name not loaded already.
   */
  loadLatest(agent: string): void {
    const key = `latest\u0000${agent}`;
    if (this.mode !== 'collector' || this.loaded.has(key)) return;
    this.loaded.add(key);
    const range = rangeQuery(this.range, Date.now());
    void this.get<{ names: string[] }>('/api/v1/query/metrics').then(async (r) => {
      for (const name of r?.names ?? []) {
        if (this.loaded.has(`${agent}\u0000${seriesKey(name, {})}`)) continue;
        const res = await this.get<SeriesResponse>(`/api/v1/series?${new URLSearchParams({ name, agent, limit: '1' })}&${range}`);
        for (const s of res?.series ?? []) this.window.add(s.points.map(([ts, value]) => ({ agent: s.agent ?? agent, name: s.name, labels: s.labels, ts, value })));
      }
      this.host.requestUpdate();
    });
  }

  /** Key under which `spc` holds the chart of one series. */
  spcKey(agent: string, name: string, labels: Labels, limits?: { readonly center: number; readonly sigma: number }): string {
    return `${agent}\u0000${seriesKey(name, labels)}${limits ? `\u0000${limits.center}\u0000${limits.sigma}` : ''}`;
  }

  /**
   * Fetches the SPC chart of one series over the range (collector mode): once per fixed range,
   * and again every SPC_REFRESH_MS while live, since the limits move as points arrive.
   */
  loadSpc(agent: string, name: string, labels: Labels, limits?: { readonly center: number; readonly sigma: number }): void {
    const key = this.spcKey(agent, name, labels, limits);
    const at = this.spcAt.get(key);
    if (this.mode !== 'collector' || (at !== undefined && (this.range.end !== null || Date.now() - at < SPC_REFRESH_MS))) return;
    this.spcAt.set(key, Date.now());
    if (!this.spc.has(key)) this.spc.set(key, null);
    const q = new URLSearchParams({ name, agent, ...labels, ...(limits ? { center: String(limits.center), sigma: String(limits.sigma) } : {}) });
    void this.get<unknown>(`/api/v1/spc?${q}&${rangeQuery(this.range, Date.now())}`).then((res) => {
      if (res !== undefined) this.spc.set(key, res);
      else if (this.spc.get(key) === null) this.spc.set(key, { error: this.error });
      this.host.requestUpdate();
    });
  }

  /** Re-baselines one series' chart on the collector from now, then reloads its chart. */
  async rebaselineSeries(agent: string, name: string, labels: Labels): Promise<void> {
    const res = await fetch('/api/v1/spc/baselines', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent, series: seriesKey(name, labels) }) }).catch((e: unknown) => e as Error);
    if (res instanceof Error || !res.ok) {
      this.error = `Could not re-baseline ${name}: ${res instanceof Error ? res.message : `HTTP ${res.status}`}`;
    } else {
      this.error = null;
      this.spcAt.delete(this.spcKey(agent, name, labels));
      this.loadSpc(agent, name, labels);
    }
    this.host.requestUpdate();
  }

  /** Asks the agent (status page) to start a new SPC baseline for one watched series. */
  async rebaseline(key: string): Promise<void> {
    const res = await fetch('/api/spc/rebaseline', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) }).catch((e: unknown) => e as Error);
    this.error = res instanceof Error || !res.ok ? `Could not re-baseline ${key}: ${res instanceof Error ? res.message : `HTTP ${res.status}`}` : null;
    void this.poll(false);
    this.host.requestUpdate();
  }

  /** Sets a violation's state on the collector and shows the answer. */
  async setViolationState(id: string | number, state: ViolationState): Promise<void> {
    const res = await fetch(`/api/v1/violations/${encodeURIComponent(String(id))}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state }),
    }).catch((e: unknown) => e as Error);
    if (res instanceof Error || !res.ok) {
      this.error = `Could not mark violation ${id} ${state}: ${res instanceof Error ? res.message : `HTTP ${res.status}`}`;
    } else {
      const updated = (await res.json()) as Violation;
      this.violationsVersion++;
      this.violations = this.violations.map((v) => (v.id === id ? { ...v, ...updated, state: updated.state ?? state } : v));
      this.error = null;
    }
    this.host.requestUpdate();
  }

  private onFrame(frame: LiveFrame): void {
    this.feed = 'live';
    if (this.paused) {
      this.held.push(frame);
      if (this.held.length > MAX_HELD_FRAMES) this.held.shift();
      return;
    }
    this.apply(frame);
  }

  private apply(frame: LiveFrame): void {
    this.lastFrameAt = frame.ts;
    if (frame.events.some((e) => e.kind === 'spc')) {
      if (this.mode === 'agent') this.violations = [...violationsFromEvents(frame.events), ...this.violations].slice(0, 500);
      else this.refreshViolationsSoon();
    }
    if (this.range.end !== null || frame.points.length === 0) return this.host.requestUpdate();
    this.window.add(frame.points);
    this.window.trim(rangeBounds(this.range, Date.now()).from - 5_000);
    this.host.requestUpdate();
    const stamps = frame.points.map((p) => p.ts);
    void this.host.updateComplete.then(() => requestAnimationFrame(() => this.latency.record(Date.now(), stamps)));
  }

  private refreshViolationsSoon(): void {
    if (this.violationsDue) return;
    this.violationsDue = setTimeout(() => {
      this.violationsDue = null;
      void this.fetchViolations().then((v) => { if (v) { this.violations = v; this.host.requestUpdate(); } });
    }, 500);
  }

  /** The collector's violations, or undefined when the fetch failed or a state change overtook it (then it retries soon). */
  private async fetchViolations(): Promise<readonly Violation[] | undefined> {
    const version = this.violationsVersion;
    const r = await this.get<{ violations: Violation[] }>('/api/v1/violations');
    if (r && version !== this.violationsVersion) {
      this.refreshViolationsSoon();
      return undefined;
    }
    return r?.violations;
  }

  private async poll(first: boolean): Promise<void> {
    if (this.mode === 'agent') {
      const s = await this.get<AgentStatusInfo>('/api/status');
      if (s) {
        this.status = s;
        if (first || this.window.all().length === 0) this.window.add(s.latest ?? []);
        // The agent's ledger carries the states the collector gave; an older agent has only its events (all open).
        if (s.violations) this.violations = s.violations.map((v) => ({ ...v, agent: s.agentId }));
        else if (first && s.events) this.violations = violationsFromEvents([...s.events].reverse());
      }
    } else {
      const q = rangeQuery(this.range, Date.now());
      if (first) void this.get<{ role: 'viewer' | 'admin' | null }>('/api/v1/session').then((r) => { if (r) { this.role = r.role; this.host.requestUpdate(); } });
      const [a, v, p] = await Promise.all([
        this.get<{ agents: AgentInfo[] }>('/api/v1/agents'),
        first ? this.fetchViolations() : Promise.resolve(undefined),
        // Provider percentiles move with every probe: refresh them with the fleet.
        this.get<{ rows: ProviderRow[] }>(`/api/v1/providers?${q}`),
      ]);
      if (a) this.agents = a.agents;
      if (v) this.violations = v;
      if (p) this.providers = p.rows;
    }
    this.host.requestUpdate();
  }

  /** GET as JSON; on failure records `error` and resolves undefined (the page keeps what it had). */
  private async get<T>(url: string): Promise<T | undefined> {
    const r = await fetchJson<T>(url, (status) => (status === 401 && this.mode === 'collector' ? 'not signed in' : status === 403 ? 'this token\'s role may not see this' : null));
    if (r.ok) this.signIn = false;
    else if (r.status === 401 && this.mode === 'collector') this.signIn = true;
    this.error = r.ok ? null : r.message;
    return r.ok ? r.body : undefined;
  }
}
