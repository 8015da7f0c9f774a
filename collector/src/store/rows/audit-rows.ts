/** Rows of the append-only `audit_log` (features/audit.ts): insert and read, nothing else. */
import type { Statement } from 'better-sqlite3';
import type { AuditEntry } from '../../audit/audit-entry.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** An entry as stored: with its sequence number and time. */
export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
  readonly at: number;
}

interface Row { id: number; at: number; actor: string; action: string; target: string; detail: string | null }

export class AuditRows {
  private readonly s: Record<'insert' | 'list', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      insert: db.prepare('insert into audit_log (at, actor, action, target, detail) values (?, ?, ?, ?, ?)'),
      list: db.prepare(`select * from audit_log where at >= @from and at <= @to
        and (@action is null or action = @action or (substr(@action, -2) = '.*' and action like replace(substr(@action, 1, length(@action) - 1), '_', '\\_') || '%' escape '\\'))
        order by at desc, id desc limit @limit`),
    };
  }

  insert(e: AuditEntry & { at: number }): void {
    this.s.insert.run(e.at, e.actor, e.action, e.target, e.detail === undefined ? null : JSON.stringify(e.detail));
  }

  /** Entries with from ≤ at ≤ to, newest first; `action` exact (`alert.fire`) or a family (`alert.*`). */
  list(filter: { from: number; to: number; action: string | null; limit: number }): StoredAuditEntry[] {
    return (this.s.list.all(filter) as Row[]).map((r) => ({
      id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as Record<string, unknown> }),
    }));
  }
}
