/**
 * The durable AuditSink: every entry is a row of the append-only audit_log in the collector's
 * SQLite file. Called inside a caller's transaction, the entry commits (or rolls back) with the
 * change it describes. `record` never throws: a failed write is logged with the entry, so it is
 * not lost silently.
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { AuditRows, StoredAuditEntry } from '../store/rows/audit-rows.ts';
import type { AuditEntry, AuditSink } from './audit-entry.ts';

export class SqliteAuditSink implements AuditSink {
  private readonly rows: AuditRows;
  private readonly log: Logger;
  private readonly clock: () => number;

  constructor(rows: AuditRows, log: Logger, clock: () => number = Date.now) {
    this.rows = rows;
    this.log = log;
    this.clock = clock;
  }

  record(entry: AuditEntry): void {
    const stamped = { ...entry, at: entry.at ?? this.clock() };
    try {
      this.rows.insert(stamped);
    } catch (err) {
      this.log.error('audit entry not written', { entry: stamped, err });
    }
  }

  /** Entries newest first (see AuditRows.list). */
  list(filter: { from: number; to: number; action: string | null; limit: number }): StoredAuditEntry[] {
    return this.rows.list(filter);
  }
}
