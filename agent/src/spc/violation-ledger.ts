/**
 * The agent's recent SPC violations and the state the collector's operators gave each one: a
 * SampleSink decorator after the SPC watch, so every violation event it raises is recorded here
 * as `open` on its way to the batcher; `apply` takes the states a `sync` frame carries.
 *
 *   spc watch ──event(spc)──▶ ViolationLedger ──▶ live tap ─▶ batcher ─▶ … ─▶ collector
 *                                   ▲                                            │ acknowledge / resolve
 *                                   └──────────── sync {violations} ◀────────────┘
 *
 * A violation is named by what both ends know of it: its series key, rule and timestamp. States
 * for violations this process never raised (it restarted since) are ignored; the ledger holds the
 * newest MAX_VIOLATIONS, in memory, as the status page's recent events are.
 */
import type { AgentViolation } from '@sigmascope/protocol/agent-violation';
import type { AgentEvent, SpcViolationEvent } from '@sigmascope/protocol/events';
import type { SyncedViolation, ViolationState } from '@sigmascope/protocol/frames';
import type { Series } from '@sigmascope/protocol/series';
import { seriesKey } from '@sigmascope/protocol/series';
import type { SampleSink } from '../pipeline/sample-sink.ts';

const MAX_VIOLATIONS = 500;

interface Entry {
  readonly event: SpcViolationEvent;
  readonly key: string;
  state: ViolationState;
  syncedAt: number | null;
}

const idOf = (key: string, rule: string, ts: number): string => `${key}\u0000${rule}\u0000${ts}`;

export class ViolationLedger implements SampleSink {
  private readonly next: SampleSink;
  private readonly clock: () => number;
  /** By violation id, oldest first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();

  constructor(next: SampleSink, clock: () => number) {
    this.next = next;
    this.clock = clock;
  }

  add(series: Series, ts: number, value: number): void {
    this.next.add(series, ts, value);
  }

  event(event: AgentEvent): void {
    this.next.event(event);
    if (event.kind !== 'spc') return;
    const key = seriesKey(event.name, event.labels);
    this.entries.set(idOf(key, event.rule, event.ts), { event, key, state: 'open', syncedAt: null });
    if (this.entries.size > MAX_VIOLATIONS) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Takes the collector's states; returns how many known violations changed. */
  apply(states: readonly SyncedViolation[]): number {
    let changed = 0;
    for (const s of states) {
      const e = this.entries.get(idOf(s.key, s.rule, s.ts));
      if (e === undefined || e.state === s.state) continue;
      e.state = s.state;
      e.syncedAt = this.clock();
      changed++;
    }
    return changed;
  }

  /** Newest first, for /api/status. */
  list(): AgentViolation[] {
    const out: AgentViolation[] = [];
    for (const e of this.entries.values()) {
      const { kind: _kind, ...fields } = e.event;
      out.push({ ...fields, key: e.key, state: e.state, syncedAt: e.syncedAt });
    }
    return out.sort((a, b) => b.ts - a.ts);
  }
}
