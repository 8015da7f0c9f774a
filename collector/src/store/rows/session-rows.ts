/**
 * Rows of the sessions feature (schema/features/sessions.ts): the SQL behind
 * collector/src/auth/session-store.ts, which owns the rules (ids, hashing, timeouts).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** One session as stored: never its id, only the id's hash. */
export interface SessionRow {
  readonly hash: string;
  readonly tokenHash: string;
  readonly name: string;
  readonly role: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
}

type Raw = [string, string, string, string, number, number, number, number | null, string | null];
const row = (r: Raw): SessionRow => ({ hash: r[0], tokenHash: r[1], name: r[2], role: r[3], createdAt: r[4], lastSeenAt: r[5], expiresAt: r[6], endedAt: r[7], endReason: r[8] });

export class SessionRows {
  private readonly s: Record<'insert' | 'byHash' | 'seen' | 'end' | 'prune', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      insert: db.prepare('insert into sessions (hash, token_hash, name, role, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)'),
      byHash: db.prepare('select hash, token_hash, name, role, created_at, last_seen_at, expires_at, ended_at, end_reason from sessions where hash = ?').raw(),
      seen: db.prepare('update sessions set last_seen_at = ? where hash = ? and ended_at is null'),
      end: db.prepare('update sessions set ended_at = ?, end_reason = ? where hash = ? and ended_at is null'),
      prune: db.prepare('delete from sessions where expires_at < ?'),
    };
  }

  insert(r: Omit<SessionRow, 'endedAt' | 'endReason'>): void {
    this.s.insert.run(r.hash, r.tokenHash, r.name, r.role, r.createdAt, r.lastSeenAt, r.expiresAt);
  }

  byHash(hash: string): SessionRow | null {
    const r = this.s.byHash.get(hash) as Raw | undefined;
    return r === undefined ? null : row(r);
  }

  seen(hash: string, at: number): void {
    this.s.seen.run(at, hash);
  }

  /** Ends one session; false when it had ended already. */
  end(hash: string, at: number, reason: string): boolean {
    return this.s.end.run(at, reason, hash).changes > 0;
  }

  /** Deletes sessions whose expiry is before `before`. */
  prune(before: number): number {
    return this.s.prune.run(before).changes;
  }
}
