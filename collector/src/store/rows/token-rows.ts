/**
 * Rows of the `tokens` table (core) and of `token_lifecycle` (features/token-lifecycle.ts): the
 * SQL behind collector/src/auth/token-store.ts, which owns the rules (hashing, expiry, rotation).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** One token as stored: never the token itself, only its hash. */
export interface TokenRow {
  readonly hash: string;
  readonly name: string;
  readonly role: string;
  readonly createdAt: number;
  /** From this instant on the token is refused; in the future while a rotation window runs. */
  readonly revokedAt: number | null;
  readonly expiresAt: number | null;
  readonly firstUsedAt: number | null;
  readonly lastUsedAt: number | null;
  readonly lastUsedFrom: string | null;
}

const COLUMNS = 't.hash, t.name, t.role, t.created_at, t.revoked_at, l.expires_at, l.first_used_at, l.last_used_at, l.last_used_from';
type Raw = [string, string, string, number, number | null, number | null, number | null, number | null, string | null];
const row = (r: Raw): TokenRow => ({ hash: r[0], name: r[1], role: r[2], createdAt: r[3], revokedAt: r[4], expiresAt: r[5], firstUsedAt: r[6], lastUsedAt: r[7], lastUsedFrom: r[8] });

export class TokenRows {
  private readonly db: SqliteDb;
  private readonly s: Record<'insert' | 'expiry' | 'byHash' | 'liveNamed' | 'endExpired' | 'revokeNamed' | 'retire' | 'use' | 'list', Statement>;

  constructor(db: SqliteDb) {
    this.db = db;
    const live = '(t.revoked_at is null or t.revoked_at > @now) and (l.expires_at is null or l.expires_at > @now)';
    this.s = {
      insert: db.prepare('insert into tokens (hash, name, role, created_at) values (?, ?, ?, ?)'),
      expiry: db.prepare('insert into token_lifecycle (hash, expires_at) values (?, ?)'),
      byHash: db.prepare(`select ${COLUMNS} from tokens t left join token_lifecycle l on l.hash = t.hash where t.hash = ?`).raw(),
      liveNamed: db.prepare(`select ${COLUMNS} from tokens t left join token_lifecycle l on l.hash = t.hash where t.name = @name and ${live} order by t.created_at`).raw(),
      // An expired token is over: it ends at its expiry, so the name is free for a new one.
      endExpired: db.prepare('update tokens set revoked_at = (select expires_at from token_lifecycle l where l.hash = tokens.hash) where name = @name and revoked_at is null and hash in (select hash from token_lifecycle where expires_at <= @now)'),
      revokeNamed: db.prepare('update tokens set revoked_at = @now where name = @name and (revoked_at is null or revoked_at > @now)'),
      retire: db.prepare('update tokens set revoked_at = @until where hash = @hash'),
      use: db.prepare('insert into token_lifecycle (hash, first_used_at, last_used_at, last_used_from) values (@hash, @at, @at, @from) on conflict (hash) do update set first_used_at = coalesce(first_used_at, @at), last_used_at = @at, last_used_from = @from'),
      list: db.prepare(`select ${COLUMNS} from tokens t left join token_lifecycle l on l.hash = t.hash order by t.created_at`).raw(),
    };
  }

  /** Inserts a token (and its expiry). Throws SQLite's UNIQUE error for a second live agent token of one name. */
  insert(hash: string, name: string, role: string, createdAt: number, expiresAt: number | null): void {
    this.db.transaction(() => {
      this.s.endExpired.run({ name, now: createdAt });
      this.s.insert.run(hash, name, role, createdAt);
      if (expiresAt !== null) this.s.expiry.run(hash, expiresAt);
    })();
  }

  byHash(hash: string): TokenRow | null {
    const r = this.s.byHash.get(hash) as Raw | undefined;
    return r === undefined ? null : row(r);
  }

  /** Tokens of `name` accepted at `now`, oldest first. */
  liveNamed(name: string, now: number): TokenRow[] {
    return (this.s.liveNamed.all({ name, now }) as Raw[]).map(row);
  }

  /** Ends every token of `name` not yet ended at `now` (rotation windows included); returns how many. */
  revokeNamed(name: string, now: number): number {
    return this.s.revokeNamed.run({ name, now }).changes;
  }

  /** In one transaction: the live tokens of `name` end at `until`, then `insert` runs (the rotation). */
  rotate(retiring: readonly string[], until: number, insert: () => void): void {
    this.db.transaction(() => {
      for (const hash of retiring) this.s.retire.run({ hash, until });
      insert();
    })();
  }

  /** Notes a use; the first one sets first_used_at too. */
  noteUse(hash: string, at: number, from: string | null): void {
    this.s.use.run({ hash, at, from });
  }

  list(): TokenRow[] {
    return (this.s.list.all() as Raw[]).map(row);
  }
}
