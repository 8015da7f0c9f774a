/**
 * One line of the collector's audit trail: who changed what, when. Written for every state change
 * a person or a rule makes (an alert fires or resolves, an incident or violation is acknowledged or
 * resolved, a silence is created, a token is created or revoked, a watch is re-baselined, the
 * config is reloaded). Append-only: nothing edits or deletes an entry but retention.
 */

export interface AuditEntry {
  /** ms since the epoch; the sink stamps it when omitted. */
  readonly at?: number;
  /** Who: a token's name, `system` for the collector's own rules, `cli` on the collector host. */
  readonly actor: string;
  /** What, as `noun.verb`: `incident.acknowledge`, `alert.fire`, `silence.create`, `token.revoke`, … */
  readonly action: string;
  /** The thing acted on: an incident id, an alert id, a token name, … */
  readonly target: string;
  /** Anything else worth keeping (a note, matchers, a rule name). Never a secret. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Where audit entries go. `record` never throws: an audit write that fails is logged, not lost silently. */
export interface AuditSink {
  record(entry: AuditEntry): void;
}

/** An audit sink that keeps entries in memory, for tests and for a collector started without a store. */
export class MemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): void {
    this.entries.push({ ...entry, at: entry.at ?? Date.now() });
  }
}
