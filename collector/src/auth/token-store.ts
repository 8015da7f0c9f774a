/**
 * Tokens for agents (ingest), viewers and admins (API). A token is shown once at creation and
 * stored only as its SHA-256; an agent's identity is its token's name.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SqliteDb } from '../store/schema/sqlite-db.ts';

export const ROLES = ['agent', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenIdentity {
  readonly name: string;
  readonly role: Role;
}

export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** sha256 hex of a token: what is stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenStore {
  private readonly db: SqliteDb;

  constructor(db: SqliteDb) {
    this.db = db;
  }

  /**
   * Creates a token and returns it in clear (the only time it exists in clear). Refuses a second
   * live agent token with the same name: revoke the old one first.
   */
  create(name: string, role: Role, now: number = Date.now()): { ok: true; token: string } | { ok: false; reason: string } {
    if (!TOKEN_NAME_PATTERN.test(name)) return { ok: false, reason: `${JSON.stringify(name)} is not a valid name (1-64 of A-Z a-z 0-9 _ . -)` };
    const token = `sgs_${role[0]}_${randomBytes(32).toString('base64url')}`;
    try {
      this.db.prepare('insert into tokens (hash, name, role, created_at) values (?, ?, ?, ?)').run(hashToken(token), name, role, now);
    } catch (err) {
      if (String(err).includes('UNIQUE')) return { ok: false, reason: `an agent token named ${JSON.stringify(name)} exists; revoke it first (sigmascope token revoke ${name})` };
      throw err;
    }
    return { ok: true, token };
  }

  /** Who a presented token belongs to, or null (unknown or revoked). */
  verify(token: string): TokenIdentity | null {
    if (token.length < 16 || token.length > 256) return null;
    // No cache: a primary-key lookup costs microseconds, and a revocation by another process takes effect at once.
    const row = this.db.prepare('select name, role from tokens where hash = ? and revoked_at is null').get(hashToken(token)) as TokenIdentity | undefined;
    return row ?? null;
  }

  /** Who a token known by its hash belongs to while it is live, or null: for connections that keep only the hash. */
  verifyHash(hash: string): TokenIdentity | null {
    const row = this.db.prepare('select name, role from tokens where hash = ? and revoked_at is null').get(hash) as TokenIdentity | undefined;
    return row ?? null;
  }

  /** Revokes every live token of that name; returns how many. */
  revoke(name: string, now: number = Date.now()): number {
    return this.db.prepare('update tokens set revoked_at = ? where name = ? and revoked_at is null').run(now, name).changes;
  }

  list(): { name: string; role: Role; createdAt: number; revokedAt: number | null }[] {
    return (this.db.prepare('select name, role, created_at, revoked_at from tokens order by created_at').all() as { name: string; role: Role; created_at: number; revoked_at: number | null }[]).map((r) => ({
      name: r.name, role: r.role, createdAt: r.created_at, revokedAt: r.revoked_at,
    }));
  }
}
