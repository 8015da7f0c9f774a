/**
 * What the collector tells its agents beyond acks: the state operators gave each violation
 * (POST /api/v1/violations/:id) and the re-baselines of their series (POST /api/v1/spc/baselines),
 * as `sync` frames, only on links of protocol ≥ SYNC_PROTOCOL_VERSION (frames.ts).
 *
 *   hello (proto ≥ 2) ─▶ welcome ─▶ sync {the agent's violations of the last day, its latest re-baselines}
 *   POST violation state / baseline ─▶ sync {that one entry} ─▶ every open link of that agent
 *
 * Nothing is queued: the snapshot after each welcome is read from the store (the events table and
 * spc_baselines, both durable), so an agent that was away, or a collector that restarted, catches
 * up at the next connect; a change made while a link is open reaches it at once. Applying a sync
 * is idempotent on the agent, so the snapshot repeating a change already pushed costs nothing.
 */
import { seriesKey } from '@sigmascope/protocol/series';
import { SYNC_LIMITS } from '@sigmascope/protocol/frames';
import type { SyncFrame, SyncedViolation } from '@sigmascope/protocol/frames';
import type { SpcBaseline, SpcBaselineRows } from '../store/rows/spc-baseline-rows.ts';
import type { Store, StoredEvent } from '../store/store.ts';

/** How far back the snapshot after a welcome reaches: the agent keeps its recent violations in memory only. */
const SNAPSHOT_WINDOW_MS = 24 * 3_600_000;
/** Violations per snapshot, newest first (the agent holds at most 500). */
const SNAPSHOT_VIOLATIONS = 500;

type Send = (frame: SyncFrame) => void;

/** The violation of a stored SPC event as a sync entry; null for any other event kind. */
function synced(e: StoredEvent): SyncedViolation | null {
  if (e.event.kind !== 'spc') return null;
  return { key: seriesKey(e.event.name, e.event.labels), rule: e.event.rule, ts: e.event.ts, state: e.state };
}

export class AgentSync {
  private readonly store: Pick<Store, 'events'>;
  private readonly baselines: Pick<SpcBaselineRows, 'latestOfAgent'>;
  private readonly clock: () => number;
  /** Open protocol ≥ 2 links by agent id. */
  private readonly links = new Map<string, Set<Send>>();

  constructor(store: Pick<Store, 'events'>, baselines: Pick<SpcBaselineRows, 'latestOfAgent'>, clock: () => number = Date.now) {
    this.store = store;
    this.baselines = baselines;
    this.clock = clock;
  }

  /**
   * A link of `agentId` that speaks sync frames has been welcomed: sends it the snapshot and
   * registers it for changes. Returns the function that unregisters it (call on close).
   */
  attach(agentId: string, send: Send): () => void {
    let set = this.links.get(agentId);
    if (set === undefined) this.links.set(agentId, (set = new Set()));
    set.add(send);
    send(this.snapshot(agentId));
    return () => {
      set.delete(send);
      if (set.size === 0 && this.links.get(agentId) === set) this.links.delete(agentId);
    };
  }

  /** The agent's violations of the last day (newest first) and the latest re-baseline of each of its series. */
  snapshot(agentId: string): SyncFrame {
    const now = this.clock();
    const rows = this.store.events({ from: now - SNAPSHOT_WINDOW_MS, to: now + SNAPSHOT_WINDOW_MS, agent: agentId, kind: 'spc', limit: SNAPSHOT_VIOLATIONS });
    const violations = rows.map(synced).filter((v): v is SyncedViolation => v !== null && v.key.length <= SYNC_LIMITS.maxKeyLength);
    const baselines = this.baselines.latestOfAgent(agentId, SYNC_LIMITS.maxBaselines).map((b) => ({ key: b.series, at: b.createdAt }));
    return { t: 'sync', violations, baselines };
  }

  /** A violation's state changed: its agent's open links learn it now. */
  violationChanged(e: StoredEvent): void {
    const v = synced(e);
    if (v !== null) this.push(e.agent, { t: 'sync', violations: [v], baselines: [] });
  }

  /** A series was re-baselined: its agent's open links re-baseline their watch of it. */
  rebaselined(b: SpcBaseline): void {
    this.push(b.agent, { t: 'sync', violations: [], baselines: [{ key: b.series, at: b.createdAt }] });
  }

  private push(agentId: string, frame: SyncFrame): void {
    for (const send of this.links.get(agentId) ?? []) send(frame);
  }
}
