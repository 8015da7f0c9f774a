/**
 * A SampleSink decorator that forwards everything unchanged and keeps this tick's points and
 * events for the local live feed; `flush()` (after each tick) publishes them as one LiveFrame.
 */
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { LiveHub } from '@sigmascope/protocol/live-hub';
import type { LivePoint } from '@sigmascope/protocol/live';
import type { Series } from '@sigmascope/protocol/series';
import type { SampleSink } from '../pipeline/sample-sink.ts';

const MAX_POINTS = 10_000;

export class LiveTap implements SampleSink {
  private readonly next: SampleSink;
  private readonly hub: LiveHub;
  private readonly agentId: string;
  private points: LivePoint[] = [];
  private events: (AgentEvent & { agent: string })[] = [];
  /** The latest value of every series, for /api/status and new pages. */
  readonly latest = new Map<string, LivePoint>();
  /** Recent events (violations, probe failures), newest last, bounded. */
  readonly recentEvents: (AgentEvent & { agent: string })[] = [];

  constructor(next: SampleSink, hub: LiveHub, agentId: string) {
    this.next = next;
    this.hub = hub;
    this.agentId = agentId;
  }

  add(series: Series, ts: number, value: number): void {
    this.next.add(series, ts, value);
    if (!Number.isFinite(value)) return;
    const p: LivePoint = { agent: this.agentId, name: series.name, labels: series.labels, ts, value };
    this.latest.set(series.key, p);
    // Nobody watching: the latest values are all a page opened later needs.
    if (this.hub.size > 0 && this.points.length < MAX_POINTS) this.points.push(p);
  }

  event(event: AgentEvent): void {
    this.next.event(event);
    const e = { ...event, agent: this.agentId };
    this.events.push(e);
    this.recentEvents.push(e);
    if (this.recentEvents.length > 200) this.recentEvents.splice(0, this.recentEvents.length - 200);
  }

  /** Publishes what arrived since the last flush. */
  flush(now: number): void {
    if (this.points.length === 0 && this.events.length === 0) return;
    this.hub.publish({ ts: now, points: this.points, events: this.events });
    this.points = [];
    this.events = [];
  }
}
