/**
 * The collector's live feed: ingest pushes what it stored; every `intervalMs` the points and
 * events gathered since the last frame become ONE LiveFrame, serialized once by the hub and
 * shared by every open page.
 */
import type { BatchSeries } from '@sigmascope/protocol/batch';
import type { AgentEvent } from '@sigmascope/protocol/events';
import { LiveHub } from '@sigmascope/protocol/live-hub';
import type { LivePoint } from '@sigmascope/protocol/live';

const MAX_POINTS_PER_FRAME = 50_000;

export class LiveFeed {
  readonly hub = new LiveHub();
  private points: LivePoint[] = [];
  private events: (AgentEvent & { agent: string })[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;

  constructor(intervalMs = 100) {
    this.intervalMs = intervalMs;
  }

  start(): void {
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Whether any page watches: ingest builds what `push` takes only then. */
  get watching(): boolean {
    return this.hub.size > 0;
  }

  /** Called by ingest after a batch is stored. Cheap when nobody watches. */
  push(agent: string, series: readonly BatchSeries[], events: readonly AgentEvent[]): void {
    if (this.hub.size === 0) return;
    for (const s of series) {
      for (let i = 0; i < s.ts.length && this.points.length < MAX_POINTS_PER_FRAME; i++) {
        this.points.push({ agent, name: s.name, labels: s.labels, ts: s.ts[i] as number, value: s.values[i] as number });
      }
    }
    for (const e of events) this.events.push({ ...e, agent });
  }

  flush(now: number = Date.now()): void {
    if (this.points.length === 0 && this.events.length === 0) return;
    this.hub.publish({ ts: now, points: this.points, events: this.events });
    this.points = [];
    this.events = [];
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
