/**
 * Tokens for agents (ingest), viewers and admins (API). A token is shown once at creation and
 * stored only as its SHA-256; an agent's identity is its token's name.
 *
 * Lifecycle (rows: collector/src/store/rows/token-rows.ts):
 *
 *   create ──▶ live ──(expiry)────────────▶ expired
 *               │  ──revoke──────────────▶ revoked (at once)
 *               └──rotate(window)─────────▶ retiring: accepted until now + window, then revoked;
 *                                           a new token of the same name and role is live
 *
 * Every verification is a use: the first one is recorded in the audit trail, the last one's time
 * and address are kept (written at most once a minute per token). Creation, revocation and
 * rotation are audited too. Tokens themselves never reach the audit trail or a log.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditSink } from '../audit/audit-entry.ts';
import { MemoryAuditSink } from '../audit/audit-entry.ts';
import type { SqliteDb } from '../store/schema/sqlite-db.ts';
import { TokenRows } from '../store/rows/token-rows.ts';
import type { TokenRow } from '../store/rows/token-rows.ts';

export const ROLES = ['agent', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenIdentity {
  readonly name: string;
  readonly role: Role;
}

/** Why a presented token was refused. */
export type TokenRefusal = 'unknown' | 'revoked' | 'expired';

export type TokenCheck = { readonly ok: true; readonly identity: TokenIdentity } | { readonly ok: false; readonly reason: TokenRefusal };

export type TokenState = 'live' | 'retiring' | 'revoked' | 'expired';

export interface TokenInfo {
  readonly name: string;
  readonly role: Role;
  readonly state: TokenState;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  /** When a revoked token stopped, or a retiring one stops, being accepted. */
  readonly revokedAt: number | null;
  readonly firstUsedAt: number | null;
  readonly lastUsedAt: number | null;
  readonly lastUsedFrom: string | null;
}

export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Last-use times are written at most this often per token (every API request verifies). */
const USE_WRITE_EVERY_MS = 60_000;

/** sha256 hex of a token: what is stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenStore {
  private readonly rows: TokenRows;
  private readonly audit: AuditSink;
  private readonly clock: () => number;
  /** Hash → when its last use was written. */
  private readonly usesWritten = new Map<string, number>();

  constructor(db: SqliteDb, audit: AuditSink = new MemoryAuditSink(), clock: () => number = Date.now) {
    this.rows = new TokenRows(db);
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Creates a token and returns it in clear (the only time it exists in clear). Refuses a second
   * live agent token with the same name: revoke or rotate the old one. `expiresInMs` bounds its life.
   */
  create(name: string, role: Role, now: number = this.clock(), opts: { expiresInMs?: number; actor?: string } = {}): { ok: true; token: string; expiresAt: number | null } | { ok: false; reason: string } {
    if (!TOKEN_NAME_PATTERN.test(name)) return { ok: false, reason: `${JSON.stringify(name)} is not a valid name (1-64 of A-Z a-z 0-9 _ . -)` };
    const token = newToken(role);
    const expiresAt = opts.expiresInMs === undefined ? null : now + opts.expiresInMs;
    try {
      this.rows.insert(hashToken(token), name, role, now, expiresAt);
    } catch (err) {
      if (String(err).includes('UNIQUE')) return { ok: false, reason: `an agent token named ${JSON.stringify(name)} exists; revoke it (sigmascope token revoke ${name}) or rotate it (sigmascope token rotate ${name})` };
      throw err;
    }
    this.audit.record({ at: now, actor: opts.actor ?? 'cli', action: 'token.create', target: name, detail: { role, expiresAt } });
    return { ok: true, token, expiresAt };
  }

  /**
   * Rotation: a new token for `name` (same role), while the live ones keep working for
   * `windowMs` more, so agents can move to the new one without a gap. Returns it in clear.
   */
  rotate(name: string, windowMs: number, now: number = this.clock(), opts: { expiresInMs?: number; actor?: string } = {}): { ok: true; token: string; retiringUntil: number } | { ok: false; reason: string } {
    const live = this.rows.liveNamed(name, now).filter((r) => r.revokedAt === null);
    const first = live[0];
    if (first === undefined) return { ok: false, reason: `no live token named ${JSON.stringify(name)} to rotate; create one with sigmascope token create ${name}` };
    const role = first.role as Role;
    const token = newToken(role);
    const until = now + windowMs;
    this.rows.rotate(live.map((r) => r.hash), until, () => this.rows.insert(hashToken(token), name, role, now, opts.expiresInMs === undefined ? null : now + opts.expiresInMs));
    this.audit.record({ at: now, actor: opts.actor ?? 'cli', action: 'token.rotate', target: name, detail: { role, retiring: live.length, retiringUntil: until } });
    return { ok: true, token, retiringUntil: until };
  }

  /** Who a presented token belongs to, or why it is refused. A use: see the module comment. */
  check(token: string, from: string | null = null): TokenCheck {
    if (token.length < 16 || token.length > 256) return { ok: false, reason: 'unknown' };
    // No cache: a primary-key lookup costs microseconds, and a revocation by another process takes effect at once.
    const hash = hashToken(token);
    const r = this.rows.byHash(hash);
    if (r === null) return { ok: false, reason: 'unknown' };
    const now = this.clock();
    if (r.revokedAt !== null && r.revokedAt <= now) return { ok: false, reason: 'revoked' };
    if (r.expiresAt !== null && r.expiresAt <= now) return { ok: false, reason: 'expired' };
    this.noteUse(r, now, from);
    return { ok: true, identity: { name: r.name, role: r.role as Role } };
  }

  /** Who a presented token belongs to, or null (unknown, revoked or expired). */
  verify(token: string, from: string | null = null): TokenIdentity | null {
    const c = this.check(token, from);
    return c.ok ? c.identity : null;
  }

  /**
   * Who a token known by its hash belongs to while it is live (a rotation window's end and an
   * expiry included), or null: for open connections that keep only the hash. Not a use.
   */
  verifyHash(hash: string): TokenIdentity | null {
    const r = this.rows.byHash(hash);
    if (r === null) return null;
    const now = this.clock();
    if ((r.revokedAt !== null && r.revokedAt <= now) || (r.expiresAt !== null && r.expiresAt <= now)) return null;
    return { name: r.name, role: r.role as Role };
  }

  /** Revokes every token of that name not yet ended (retiring ones too); returns how many. */
  revoke(name: string, now: number = this.clock(), actor = 'cli'): number {
    const n = this.rows.revokeNamed(name, now);
    if (n > 0) this.audit.record({ at: now, actor, action: 'token.revoke', target: name, detail: { tokens: n } });
    return n;
  }

  list(now: number = this.clock()): TokenInfo[] {
    return this.rows.list().map((r) => ({
      name: r.name, role: r.role as Role, state: stateOf(r, now), createdAt: r.createdAt, expiresAt: r.expiresAt, revokedAt: r.revokedAt,
      firstUsedAt: r.firstUsedAt, lastUsedAt: r.lastUsedAt, lastUsedFrom: r.lastUsedFrom,
    }));
  }

  private noteUse(r: TokenRow, now: number, from: string | null): void {
    const first = r.firstUsedAt === null && !this.usesWritten.has(r.hash);
    if (!first && now - (this.usesWritten.get(r.hash) ?? r.lastUsedAt ?? 0) < USE_WRITE_EVERY_MS) return;
    if (this.usesWritten.size > 10_000) this.usesWritten.clear();
    this.usesWritten.set(r.hash, now);
    this.rows.noteUse(r.hash, now, from);
    if (first) this.audit.record({ at: now, actor: r.name, action: 'token.first_use', target: r.name, detail: { role: r.role, from } });
  }
}

function newToken(role: Role): string {
  return `sgs_${role[0]}_${randomBytes(32).toString('base64url')}`;
}

function stateOf(r: TokenRow, now: number): TokenState {
  // A token that expired ends at its expiry (token-rows.ts `endExpired`): still "expired".
  if (r.expiresAt !== null && r.expiresAt <= now && (r.revokedAt === null || r.revokedAt >= r.expiresAt)) return 'expired';
  if (r.revokedAt !== null) return r.revokedAt <= now ? 'revoked' : 'retiring';
  return 'live';
}
