/**
 * The owner of the incidents views' data: the list (`GET /api/v1/incidents`), one incident
 * (`GET /api/v1/incidents/:id`) with the series of its panels over its time axis, and the
 * acknowledge/resolve writes. Polls what is shown every POLL_MS while the page is connected;
 * components never fetch.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Incident } from '@sigmascope/protocol/incident';
import type { SeriesResponse, SeriesResult } from '../api/api-types.ts';
import { fetchJson } from '../api/fetch-json.ts';
import { incidentBounds, incidentPanels, requestKey } from './incident-panels.ts';

const POLL_MS = 10_000;

/** What the page shows: the list, one incident, or neither. */
export type IncidentsFocus = { readonly kind: 'list'; readonly all: boolean } | { readonly kind: 'one'; readonly id: string } | null;

export class IncidentsController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  incidents: readonly Incident[] = [];
  /** True once the list answered at least once. */
  listed = false;
  incident: Incident | null = null;
  /** Series answers of the shown incident, by requestKey. */
  readonly series = new Map<string, readonly SeriesResult[]>();
  /** The last failed request's message, cleared by the next success. */
  error: string | null = null;
  /** A write is under way. */
  busy = false;
  private focus: IncidentsFocus = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private names: (agent: string) => string = (a) => a;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  hostDisconnected(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Shows `focus` (loads it at once when it changed). `names` gives host names for headings. */
  show(focus: IncidentsFocus, names: (agent: string) => string): void {
    this.names = names;
    // Pages call this on every render with a new object: only a different place counts.
    if (JSON.stringify(focus) === JSON.stringify(this.focus)) return;
    this.focus = focus;
    if (focus?.kind === 'one' && this.incident?.id !== focus.id) {
      this.incident = this.incidents.find((i) => i.id === focus.id) ?? null;
      this.series.clear();
    }
    void this.refresh();
  }

  /** Acknowledges or resolves the shown incident with a note; shows the answer. */
  async setState(id: string, state: 'acknowledged' | 'resolved', note: string): Promise<void> {
    this.busy = true;
    this.host.requestUpdate();
    const res = await fetch(`/api/v1/incidents/${encodeURIComponent(id)}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(note.trim() === '' ? { state } : { state, note }),
    }).catch((e: unknown) => e as Error);
    this.busy = false;
    if (res instanceof Error || !res.ok) {
      const why = res instanceof Error ? res.message : (((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`);
      this.error = `Could not mark the incident ${state}: ${why}`;
    } else {
      const updated = (await res.json()) as Incident;
      this.incident = this.incident?.id === updated.id ? updated : this.incident;
      this.incidents = this.incidents.map((i) => (i.id === updated.id ? updated : i));
      this.error = null;
    }
    this.host.requestUpdate();
  }

  private async refresh(): Promise<void> {
    const f = this.focus;
    if (f === null) return;
    if (f.kind === 'list') {
      const r = await this.get<{ incidents: Incident[] }>(`/api/v1/incidents?state=${f.all ? 'all' : 'open'}`);
      if (r) {
        this.incidents = r.incidents;
        this.listed = true;
      }
    } else {
      const i = await this.get<Incident>(`/api/v1/incidents/${encodeURIComponent(f.id)}`);
      if (i && this.focus === f) {
        this.incident = i;
        await this.loadSeries(i);
      }
    }
    this.host.requestUpdate();
  }

  private async loadSeries(i: Incident): Promise<void> {
    const { min, max } = incidentBounds(i, Date.now());
    const requests = incidentPanels(i, this.names).flatMap((p) => p.requests);
    const unique = new Map(requests.map((r) => [requestKey(r), r]));
    await Promise.all([...unique].map(async ([key, r]) => {
      const q = new URLSearchParams({ name: r.name, ...(r.agent ? { agent: r.agent } : {}), ...r.labels, from: String(Math.floor(min)), to: String(Math.ceil(max)), ...(r.stepMs ? { step: String(r.stepMs) } : {}) });
      const res = await this.get<SeriesResponse>(`/api/v1/series?${q}`);
      if (res) this.series.set(key, res.series);
    }));
  }

  /** GET as JSON; on failure records `error` and resolves undefined (the page keeps what it had). */
  private async get<T>(url: string): Promise<T | undefined> {
    const r = await fetchJson<T>(url, (status) => (status === 404 ? 'no such incident' : null));
    this.error = r.ok ? null : r.message;
    return r.ok ? r.body : undefined;
  }
}
