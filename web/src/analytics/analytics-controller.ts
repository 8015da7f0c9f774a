/**
 * The analytics a dashboard page shows, fetched from the collector beside the LiveController's
 * data and in its time range: a series' anomalies and forecast, a host's capacity row, the
 * fleet's energy per token. Each is fetched when a view asks for it and again every REFRESH_MS
 * while the range is live; a failed fetch keeps what was shown (the page's banner reports the
 * LiveController's errors, these are quietly retried at the next refresh).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Labels } from '@sigmascope/protocol/series';
import { seriesKey } from '@sigmascope/protocol/series';
import { rangeBounds } from '../controls/time-range.ts';
import type { LiveController } from '../live/live-controller.ts';
import type { AnomalySeriesResult, CapacityResult, EnergyRow, ForecastResult } from './analytics-types.ts';

const REFRESH_MS = 30_000;

export class AnalyticsController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly live: LiveController;
  readonly anomalies = new Map<string, AnomalySeriesResult>();
  readonly forecasts = new Map<string, ForecastResult>();
  readonly capacity = new Map<string, CapacityResult>();
  energy: readonly EnergyRow[] = [];
  /** When each request key was last asked for, and in which range. */
  private readonly asked = new Map<string, { at: number; range: string }>();

  constructor(host: ReactiveControllerHost, live: LiveController) {
    this.host = host;
    this.live = live;
    host.addController(this);
  }

  hostConnected(): void {}
  hostDisconnected(): void {}

  /** Key under which `anomalies` and `forecasts` hold one series. */
  seriesKey(agent: string, name: string, labels: Labels): string {
    return `${agent}\u0000${seriesKey(name, labels)}`;
  }

  /** Fetches a series' anomalies over the range and its forecast for a third of the range ahead. */
  loadSeries(agent: string, name: string, labels: Labels): void {
    const key = this.seriesKey(agent, name, labels);
    const q = new URLSearchParams({ name, agent, ...labels });
    this.fetchDue(`anomalies\u0000${key}`, `/api/v1/anomalies/series?${q}&${this.window()}`, (r: AnomalySeriesResult) => this.anomalies.set(key, r));
    this.fetchDue(`forecast\u0000${key}`, `/api/v1/forecast?${q}&${this.window()}`, (r: ForecastResult) => this.forecasts.set(key, r));
  }

  /** Fetches a host's capacity row. */
  loadCapacity(agent: string): void {
    this.fetchDue(`capacity\u0000${agent}`, `/api/v1/capacity?${new URLSearchParams({ agent })}`, (r: CapacityResult) => this.capacity.set(agent, r));
  }

  /** Fetches energy per token over the range. */
  loadEnergy(): void {
    this.fetchDue('energy', `/api/v1/energy?${this.window()}`, (r: { rows: EnergyRow[] }) => { this.energy = r.rows; });
  }

  private window(): string {
    const { from, to } = rangeBounds(this.live.range, Date.now());
    return `from=${Math.round(from)}&to=${Math.round(to)}`;
  }

  private fetchDue<T>(key: string, url: string, keep: (body: T) => void): void {
    const range = JSON.stringify(this.live.range);
    const last = this.asked.get(key);
    const stale = last === undefined || last.range !== range || (this.live.range.end === null && Date.now() - last.at > REFRESH_MS);
    if (!stale) return;
    this.asked.set(key, { at: Date.now(), range });
    void fetch(url, { headers: { accept: 'application/json' } })
      .then(async (res) => {
        if (!res.ok) return;
        keep((await res.json()) as T);
        this.host.requestUpdate();
      })
      .catch(() => undefined);
  }
}
