/**
 * Browser sessions on a real collector process: the cookie /login sets is an opaque session id,
 * never the token (nor anything stored in the database file); `Authorization: Bearer` still
 * works for scripts; revoking the token (`sigmascope token revoke` from another process) ends
 * its sessions within seconds (API 401, live feeds of the cookie and of the token itself cut);
 * logout ends the session; logins and logouts are in the audit log, without the id.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCollector } from './support/fleet.ts';
import { getJson, killAll, runCli, stop, waitFor } from './support/processes.ts';

afterAll(() => killAll());

const cookieOf = (res: Response): string => {
  const m = /^sigmascope_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
  if (m === null) throw new Error(`no session cookie in ${res.headers.get('set-cookie')}`);
  return m[1] as string;
};

/** Opens the live feed; resolves when it ends (the server closed it), with when. */
async function openFeed(url: string, headers: Record<string, string>): Promise<{ ended: Promise<number> }> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // A destroyed response surfaces as a terminated read: ended too.
    }
    return Date.now();
  })();
  return { ended };
}

describe('sessions', () => {
  it('keep the token out of the cookie, end when the token is revoked, and at logout', async () => {
    const collector = await startCollector();
    const dir = collector.dataDir;
    const viewer = runCli(['token', 'create', 'reader', '--role', 'viewer', '--data', dir]).stdout.trim();
    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', dir]).stdout.trim();
    const post = (path: string, body: unknown, cookie?: string): Promise<Response> =>
      fetch(collector.url(path), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json', ...(cookie ? { cookie: `sigmascope_session=${cookie}` } : {}) }, body: JSON.stringify(body) });
    const withCookie = (path: string, cookie: string): Promise<Response> => fetch(collector.url(path), { headers: { cookie: `sigmascope_session=${cookie}` } });

    // Two sign-ins of one token: the form and the link; two sessions, neither the token.
    const formLogin = await post('/login', { token: viewer });
    expect(formLogin.status).toBe(200);
    const a = cookieOf(formLogin);
    expect(formLogin.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const linkLogin = await fetch(collector.url(`/login?token=${viewer}`), { redirect: 'manual' });
    expect(linkLogin.status).toBe(303);
    const b = cookieOf(linkLogin);
    for (const id of [a, b]) {
      expect(id).not.toContain(viewer);
      expect(viewer).not.toContain(id);
      expect(id).toMatch(/^ss_[A-Za-z0-9_-]{43}$/);
    }
    expect(a).not.toBe(b);
    expect(await (await withCookie('/api/v1/session', a)).json()).toEqual({ name: 'reader', role: 'viewer' });
    expect((await withCookie('/api/v1/agents', b)).status).toBe(200);
    expect((await fetch(collector.url('/api/v1/agents'), { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
    // The token itself in the cookie is no longer a way in.
    expect((await withCookie('/api/v1/agents', viewer)).status).toBe(401);
    // Neither the ids nor the tokens are in the database's files (only their hashes).
    const files = ['sigmascope.db', 'sigmascope.db-wal'].map((f) => join(dir, f)).filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
    for (const secret of [a, b, viewer, admin]) for (const f of files) expect(f.includes(secret)).toBe(false);

    // Revoked from another process: sessions and live feeds of that token stop within seconds.
    const feedOfSession = await openFeed(collector.url('/api/v1/live'), { cookie: `sigmascope_session=${a}` });
    const feedOfToken = await openFeed(collector.url('/api/v1/live'), { authorization: `Bearer ${viewer}` });
    const revokedAt = Date.now();
    expect(runCli(['token', 'revoke', 'reader', '--data', dir]).status).toBe(0);
    const refused = await waitFor('the session refused', async () => {
      const r = await withCookie('/api/v1/agents', a);
      return r.status === 401 ? r : undefined;
    }, 5_000, 100);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('session ended (token revoked): sign in again');
    expect(refused.headers.get('set-cookie')).toMatch(/sigmascope_session=;/);
    expect((await withCookie('/api/v1/agents', b)).status).toBe(401);
    const cut = await Promise.race([Promise.all([feedOfSession.ended, feedOfToken.ended]), new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    expect(cut, 'both live feeds closed within 5 s of the revoke').not.toBeNull();
    for (const at of cut ?? []) expect(at - revokedAt).toBeLessThan(5_000);

    // Logout ends the session (and its feed); the cookie is cleared.
    const c = cookieOf(await post('/login', { token: admin }));
    const feedOfAdmin = await openFeed(collector.url('/api/v1/live'), { cookie: `sigmascope_session=${c}` });
    expect((await withCookie('/api/v1/agents', c)).status).toBe(200);
    const out = await post('/logout', {}, c);
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/sigmascope_session=;/);
    const after = await withCookie('/api/v1/agents', c);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toBe('session ended (logout): sign in again');
    await feedOfAdmin.ended;

    // The audit log: three logins and one logout, with a short ref, never the id.
    const { entries } = await getJson<{ entries: { actor: string; action: string; detail?: Record<string, unknown> }[] }>(collector.url('/api/v1/audit?action=session.*'), admin);
    expect(entries.map((e) => `${e.action} ${e.actor}`).sort()).toEqual(['session.login ops', 'session.login reader', 'session.login reader', 'session.logout ops']);
    for (const e of entries) for (const secret of [a, b, c]) expect(JSON.stringify(e)).not.toContain(secret);
    expect(entries.find((e) => e.action === 'session.logout')?.detail?.session).toBe(entries.find((e) => e.action === 'session.login' && e.actor === 'ops')?.detail?.session);
    await stop(collector.proc);
  }, 60_000);
});
