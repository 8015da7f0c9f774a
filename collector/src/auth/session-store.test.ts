import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/schema/sqlite-db.ts';
import type { SqliteDb } from '../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../tests/support/scratch-dirs.ts';
import { SessionStore } from './session-store.ts';
import { TokenStore, hashToken } from './token-store.ts';

const freshDir = scratchDirs('session-store-');
const T0 = 1_800_000_000_000;
const HOUR = 3_600_000;
let db: SqliteDb | null = null;

function setup(): { tokens: TokenStore; sessions: SessionStore; clock: { now: number }; token: string } {
  db = openDatabase(freshDir()).db;
  const clock = { now: T0 };
  const tokens = new TokenStore(db, undefined, () => clock.now);
  const made = tokens.create('ops', 'admin', T0);
  if (!made.ok) throw new Error(made.reason);
  return { tokens, sessions: new SessionStore(db, tokens, () => clock.now, { ttlMs: 48 * HOUR, idleMs: 2 * HOUR }), clock, token: made.token };
}

afterEach(() => {
  db?.close();
  db = null;
});

describe('SessionStore', () => {
  it('makes an id that is not the token, stored only as its hash', () => {
    const { sessions, token } = setup();
    const s = sessions.create({ name: 'ops', role: 'admin' }, hashToken(token));
    expect(s.id).not.toContain(token);
    expect(s.id).toMatch(/^ss_[A-Za-z0-9_-]{43}$/);
    const stored = (db as SqliteDb).prepare('select hash, token_hash from sessions').all() as { hash: string; token_hash: string }[];
    expect(stored).toEqual([{ hash: hashToken(s.id), token_hash: hashToken(token) }]);
    expect(JSON.stringify(stored)).not.toContain(s.id);
    expect(sessions.check(s.id)).toMatchObject({ ok: true, identity: { name: 'ops', role: 'admin' } });
    expect(sessions.check(`${s.id}x`)).toEqual({ ok: false, reason: 'unknown' });
    expect(sessions.check(token)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('ends after the idle timeout, counted from the last use', () => {
    const { sessions, clock, token } = setup();
    const s = sessions.create({ name: 'ops', role: 'admin' }, hashToken(token));
    clock.now += 1.5 * HOUR;
    expect(sessions.check(s.id).ok).toBe(true);
    clock.now += 1.5 * HOUR; // 3 h after the sign-in, 1.5 h after the last use
    expect(sessions.check(s.id).ok).toBe(true);
    clock.now += 2 * HOUR;
    expect(sessions.check(s.id)).toEqual({ ok: false, reason: 'idle' });
    clock.now += 1;
    expect(sessions.check(s.id)).toEqual({ ok: false, reason: 'idle' });
  });

  it('ends at its expiry however busy it is', () => {
    const { sessions, clock, token } = setup();
    const s = sessions.create({ name: 'ops', role: 'admin' }, hashToken(token));
    for (let h = 1; h < 48; h++) {
      clock.now = T0 + h * HOUR;
      expect(sessions.check(s.id).ok).toBe(true);
    }
    clock.now = T0 + 48 * HOUR;
    expect(sessions.check(s.id)).toEqual({ ok: false, reason: 'expired' });
  });

  it('ends when its token is revoked or its rotation window is over, and at logout', () => {
    const { tokens, sessions, clock, token } = setup();
    const a = sessions.create({ name: 'ops', role: 'admin' }, hashToken(token));
    const b = sessions.create({ name: 'ops', role: 'admin' }, hashToken(token));
    expect(sessions.end(b.id)?.identity).toEqual({ name: 'ops', role: 'admin' });
    expect(sessions.end(b.id)).toBeNull();
    expect(sessions.check(b.id)).toEqual({ ok: false, reason: 'logout' });
    expect(sessions.live(a.id)).toBe(true);
    const rotated = tokens.rotate('ops', HOUR, clock.now);
    if (!rotated.ok) throw new Error(rotated.reason);
    const c = sessions.create({ name: 'ops', role: 'admin' }, hashToken(rotated.token));
    clock.now += HOUR - 1;
    expect(sessions.check(a.id).ok).toBe(true);
    clock.now += 1;
    expect(sessions.live(a.id)).toBe(false);
    expect(sessions.check(a.id)).toEqual({ ok: false, reason: 'token_revoked' });
    expect(sessions.check(c.id).ok).toBe(true);
    tokens.revoke('ops', clock.now);
    expect(sessions.check(c.id)).toEqual({ ok: false, reason: 'token_revoked' });
  });
});
