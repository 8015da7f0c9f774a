/**
 * Browser sessions: what the `sigmascope_session` cookie holds instead of the API token, so a
 * leaked cookie is not a leaked token. A sign-in (/login) makes a random id (32 bytes), stored
 * only as its SHA-256 with the hash of the token that signed in; every request with the cookie
 * checks it here:
 *
 *   sign-in ──▶ live ──(no request for idleMs)──────────────▶ ended: idle
 *                │  ──(ttlMs after the sign-in)─────────────▶ ended: expired
 *                │  ──(its token revoked, rotated out, expired)▶ ended: token_revoked
 *                └──logout──────────────────────────────────▶ ended: logout
 *
 * The token is looked up by its hash at every check (a primary-key read), so revoking it, from
 * the CLI or another process, ends its sessions at their next request. Rows: store/rows/session-rows.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SqliteDb } from '../store/schema/sqlite-db.ts';
import { SessionRows } from '../store/rows/session-rows.ts';
import type { Role, TokenIdentity, TokenStore } from './token-store.ts';

/** Absolute life and idle timeout of a session (ms). */
export interface SessionLimits {
  readonly ttlMs: number;
  readonly idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { ttlMs: 7 * 24 * 3_600_000, idleMs: 12 * 3_600_000 };

/** Why a presented session is not (or no longer) accepted. */
export type SessionRefusal = 'unknown' | 'logout' | 'idle' | 'expired' | 'token_revoked';

export type SessionCheck =
  | { readonly ok: true; readonly identity: TokenIdentity; readonly tokenHash: string; readonly ref: string }
  | { readonly ok: false; readonly reason: SessionRefusal };

/** Last-seen times are written at most this often per session (the dashboard polls every 5 s). */
const SEEN_WRITE_EVERY_MS = 60_000;
const ID_PREFIX = 'ss_';

const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');
/** A short, non-secret name of a session for the audit trail: the start of its hash. */
const refOf = (hash: string): string => hash.slice(0, 12);

export class SessionStore {
  private readonly rows: SessionRows;
  private readonly tokens: Pick<TokenStore, 'verifyHash'>;
  private readonly clock: () => number;
  private readonly limits: SessionLimits;
  /** Hash → when its last-seen time was written. */
  private readonly seenWritten = new Map<string, number>();

  constructor(db: SqliteDb, tokens: Pick<TokenStore, 'verifyHash'>, clock: () => number = Date.now, limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
    this.rows = new SessionRows(db);
    this.tokens = tokens;
    this.clock = clock;
    this.limits = limits;
  }

  /** Starts a session for a token that just signed in; returns its id (the cookie's value, the only time it exists in clear). */
  create(identity: TokenIdentity, tokenHash: string): { id: string; ref: string; expiresAt: number } {
    const id = ID_PREFIX + randomBytes(32).toString('base64url');
    const hash = hashId(id);
    const now = this.clock();
    const expiresAt = now + this.limits.ttlMs;
    this.rows.prune(now - 24 * 3_600_000);
    this.rows.insert({ hash, tokenHash, name: identity.name, role: identity.role, createdAt: now, lastSeenAt: now, expiresAt });
    this.seenWritten.set(hash, now);
    return { id, ref: refOf(hash), expiresAt };
  }

  /** Who a presented session belongs to, or why not; a live session's use is recorded (idle timeout). */
  check(id: string): SessionCheck {
    if (!id.startsWith(ID_PREFIX) || id.length > 128) return { ok: false, reason: 'unknown' };
    const hash = hashId(id);
    const r = this.rows.byHash(hash);
    if (r === null) return { ok: false, reason: 'unknown' };
    if (r.endedAt !== null) return { ok: false, reason: (r.endReason ?? 'logout') as SessionRefusal };
    const now = this.clock();
    const lastSeen = Math.max(r.lastSeenAt, this.seenWritten.get(hash) ?? 0);
    const ended: SessionRefusal | null = now >= r.expiresAt ? 'expired' : now - lastSeen >= this.limits.idleMs ? 'idle' : this.tokens.verifyHash(r.tokenHash) === null ? 'token_revoked' : null;
    if (ended !== null) {
      this.endHash(hash, ended);
      return { ok: false, reason: ended };
    }
    if (now - (this.seenWritten.get(hash) ?? 0) >= SEEN_WRITE_EVERY_MS) {
      this.rows.seen(hash, now);
      this.seenWritten.set(hash, now);
    }
    return { ok: true, identity: { name: r.name, role: r.role as Role }, tokenHash: r.tokenHash, ref: refOf(hash) };
  }

  /** Whether a session is still live, without counting as a use (open live feeds ask every second). */
  live(id: string): boolean {
    const r = this.rows.byHash(hashId(id));
    const now = this.clock();
    return r !== null && r.endedAt === null && now < r.expiresAt && this.tokens.verifyHash(r.tokenHash) !== null;
  }

  /** Ends a session (logout); returns who it was, or null when it was not live. */
  end(id: string): { identity: TokenIdentity; ref: string } | null {
    if (!id.startsWith(ID_PREFIX) || id.length > 128) return null;
    const hash = hashId(id);
    const r = this.rows.byHash(hash);
    if (r === null || !this.endHash(hash, 'logout')) return null;
    return { identity: { name: r.name, role: r.role as Role }, ref: refOf(hash) };
  }

  private endHash(hash: string, reason: SessionRefusal): boolean {
    this.seenWritten.delete(hash);
    return this.rows.end(hash, this.clock(), reason);
  }
}
