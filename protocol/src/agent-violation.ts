/**
 * One SPC violation as the agent's `GET /api/status` lists it (agent/src/spc/violation-ledger.ts)
 * and its status page shows it: the event as raised, and the state the collector's operators gave
 * it, learned over the link (a `sync` frame, protocol 2). JSON-safe.
 */
import type { SpcViolationEvent } from './events.ts';
import type { ViolationState } from './frames.ts';

export interface AgentViolation extends Omit<SpcViolationEvent, 'kind'> {
  /** The series key, `name{label="v",…}`. */
  readonly key: string;
  readonly state: ViolationState;
  /** When the agent learned the state from the collector (agent clock, ms); null while never changed. */
  readonly syncedAt: number | null;
}
