/** Rows of the `silences` table (features/alerts.ts). A silence is never deleted: expiring it moves its end to now. */
import type { Statement } from 'better-sqlite3';
import type { Silence } from '../../alerts/alert.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

interface Row { id: string; matchers: string; starts_at: number; ends_at: number; comment: string; created_by: string; created_at: number }

const toSilence = (r: Row): Silence => ({
  id: r.id, matchers: JSON.parse(r.matchers) as Record<string, string>, startsAt: r.starts_at, endsAt: r.ends_at, comment: r.comment, createdBy: r.created_by, createdAt: r.created_at,
});

export class SilenceRows {
  private readonly s: Record<'insert' | 'active' | 'list' | 'get' | 'expire', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      insert: db.prepare('insert into silences (id, matchers, starts_at, ends_at, comment, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)'),
      active: db.prepare('select * from silences where starts_at <= ? and ends_at > ? order by ends_at'),
      list: db.prepare('select * from silences order by created_at desc limit ?'),
      get: db.prepare('select * from silences where id = ?'),
      expire: db.prepare('update silences set ends_at = ? where id = ? and ends_at > ?'),
    };
  }

  insert(s: Silence): void {
    this.s.insert.run(s.id, JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.comment, s.createdBy, s.createdAt);
  }

  /** Silences in force at `now`. */
  active(now: number): Silence[] {
    return (this.s.active.all(now, now) as Row[]).map(toSilence);
  }

  /** The newest silences, at most `limit`. */
  list(limit: number): Silence[] {
    return (this.s.list.all(limit) as Row[]).map(toSilence);
  }

  get(id: string): Silence | null {
    const r = this.s.get.get(id) as Row | undefined;
    return r === undefined ? null : toSilence(r);
  }

  /** Ends a silence at `now`; false when it had already ended (or never existed). */
  expire(id: string, now: number): boolean {
    return this.s.expire.run(now, id, now).changes === 1;
  }
}
