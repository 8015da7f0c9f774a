import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '../audit/audit-entry.ts';
import { openDatabase } from '../store/schema/sqlite-db.ts';
import type { SqliteDb } from '../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../tests/support/scratch-dirs.ts';
import { TokenStore } from './token-store.ts';

const freshDir = scratchDirs('token-store-');
const T0 = 1_800_000_000_000;
let db: SqliteDb | null = null;

function store(): { tokens: TokenStore; audit: MemoryAuditSink; clock: { now: number } } {
  db = openDatabase(freshDir()).db;
  const audit = new MemoryAuditSink();
  const clock = { now: T0 };
  return { tokens: new TokenStore(db, audit, () => clock.now), audit, clock };
}

afterEach(() => {
  db?.close();
  db = null;
});

const made = (r: { ok: boolean; token?: string; reason?: string }): string => {
  if (!r.ok || r.token === undefined) throw new Error(r.reason);
  return r.token;
};

describe('TokenStore', () => {
  it('records the first use in the audit trail once, and the last use at most once a minute', () => {
    const { tokens, audit, clock } = store();
    const token = made(tokens.create('gpu-01', 'agent'));
    expect(tokens.verify(token, '10.0.0.7')).toEqual({ name: 'gpu-01', role: 'agent' });
    clock.now += 30_000;
    tokens.verify(token, '10.0.0.8');
    expect(tokens.list()[0]).toMatchObject({ firstUsedAt: T0, lastUsedAt: T0, lastUsedFrom: '10.0.0.7', state: 'live' });
    clock.now += 31_000;
    tokens.verify(token, '10.0.0.9');
    expect(tokens.list()[0]).toMatchObject({ firstUsedAt: T0, lastUsedAt: T0 + 61_000, lastUsedFrom: '10.0.0.9' });
    expect(audit.entries.map((e) => [e.action, e.actor, e.target])).toEqual([['token.create', 'cli', 'gpu-01'], ['token.first_use', 'gpu-01', 'gpu-01']]);
    expect(audit.entries[1]?.detail).toEqual({ role: 'agent', from: '10.0.0.7' });
    // The token itself is in no entry.
    expect(JSON.stringify(audit.entries)).not.toContain(token);
  });

  it('refuses a token after its expiry, says why, and frees its name', () => {
    const { tokens, clock } = store();
    const token = made(tokens.create('short', 'agent', T0, { expiresInMs: 60_000 }));
    expect(tokens.check(token).ok).toBe(true);
    clock.now = T0 + 60_000;
    expect(tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
    expect(tokens.list()[0]?.state).toBe('expired');
    const next = made(tokens.create('short', 'agent'));
    expect(tokens.verify(next)).toEqual({ name: 'short', role: 'agent' });
    expect(tokens.list().map((t) => t.state)).toEqual(['expired', 'live']);
  });

  it('rotates: old and new both accepted during the window, only the new one after it', () => {
    const { tokens, audit, clock } = store();
    const old = made(tokens.create('gpu-02', 'agent'));
    expect(tokens.create('gpu-02', 'agent')).toMatchObject({ ok: false, reason: expect.stringContaining('sigmascope token rotate gpu-02') });
    const rotated = tokens.rotate('gpu-02', 3_600_000);
    const fresh = made(rotated);
    expect(rotated).toMatchObject({ retiringUntil: T0 + 3_600_000 });
    expect(tokens.verify(old)?.name).toBe('gpu-02');
    expect(tokens.verify(fresh)?.name).toBe('gpu-02');
    expect(tokens.list().map((t) => t.state)).toEqual(['retiring', 'live']);
    clock.now = T0 + 3_600_000;
    expect(tokens.check(old)).toEqual({ ok: false, reason: 'revoked' });
    expect(tokens.verify(fresh)?.role).toBe('agent');
    // The first use of each token shows when the agent moved to the new one.
    expect(audit.entries.map((e) => e.action)).toEqual(['token.create', 'token.rotate', 'token.first_use', 'token.first_use']);
    expect(audit.entries[1]?.detail).toEqual({ role: 'agent', retiring: 1, retiringUntil: T0 + 3_600_000 });
  });

  it('revokes every token of a name at once, a retiring one included', () => {
    const { tokens, audit } = store();
    const old = made(tokens.create('gpu-03', 'agent'));
    const fresh = made(tokens.rotate('gpu-03', 3_600_000));
    expect(tokens.revoke('gpu-03')).toBe(2);
    expect(tokens.check(old)).toEqual({ ok: false, reason: 'revoked' });
    expect(tokens.check(fresh)).toEqual({ ok: false, reason: 'revoked' });
    expect(tokens.revoke('gpu-03')).toBe(0);
    expect(audit.entries.filter((e) => e.action === 'token.revoke')).toHaveLength(1);
    expect(tokens.rotate('gpu-03', 1_000)).toMatchObject({ ok: false, reason: expect.stringContaining('no live token') });
  });

  it('refuses what it does not know', () => {
    const { tokens } = store();
    expect(tokens.check('sgs_a_not-a-token-at-all-0000000')).toEqual({ ok: false, reason: 'unknown' });
    expect(tokens.check('short')).toEqual({ ok: false, reason: 'unknown' });
  });
});
