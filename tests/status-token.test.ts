/**
 * The agent's status page beyond loopback (RELIABILITY.md S5 and issue 16's bounds): a real agent
 * bound to 0.0.0.0 answers every path but /healthz with 401 until the status token (a 0600 file it
 * creates in its data dir) is presented, as a bearer token or through /login's cookie. On loopback
 * nothing is asked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startAgent } from './support/fleet.ts';
import { killAll, stop } from './support/processes.ts';

afterAll(() => killAll());

describe('status page beyond loopback', () => {
  it('asks for the status token everywhere but /healthz', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'wide', extraArgs: ['--status-listen', '0.0.0.0'], env: { SIGMASCOPE_LOG_LEVEL: 'warn' } });
    const base = `http://127.0.0.1:${agent.statusPort}`;
    const file = join(agent.dataDir, 'status-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(agent.proc.output()).toContain('status page listens beyond loopback');
    expect(agent.proc.output()).not.toContain(token);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const path of ['/api/status', '/metrics', '/', '/api/live', '/assets/x.js']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect((await fetch(`${base}/api/status`, { headers: { authorization: 'Bearer not-the-token-000000000' } })).status).toBe(401);
    const ok = await fetch(`${base}/api/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { name: string }).name).toBe('wide');

    // A browser: /login?token=… sets the cookie, then the page and its API answer.
    expect((await fetch(`${base}/login?token=wrong-token-00000000000`, { redirect: 'manual' })).status).toBe(401);
    const login = await fetch(`${base}/login?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(login.headers.get('set-cookie')).toContain('HttpOnly');
    expect((await fetch(`${base}/api/status`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: { cookie } })).status).toBe(200);
    await stop(agent.proc);
  });

  it('asks nothing on loopback', async () => {
    const agent = await startAgent({ collectorPort: null, name: 'narrow' });
    expect((await fetch(`http://127.0.0.1:${agent.statusPort}/api/status`)).status).toBe(200);
    await stop(agent.proc);
  });
});
