/**
 * The audit trail of a real collector (over TLS, so that a certificate reload is in it too):
 * every admin action and token event lands in it once, with who did it: token create, rotate,
 * revoke and first use, a browser sign-in, a violation acknowledged and resolved, a silence made
 * and ended, a chart re-baselined, the TLS reload on SIGHUP. `sigmascope audit` on the collector
 * host reads the same entries as GET /api/v1/audit (admin only), and no token appears in either.
 */
import { request } from 'node:https';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startCollector } from './support/fleet.ts';
import { killAll, runCli, stop, tempDir, waitForOutput } from './support/processes.ts';
import { makeTestCa } from './support/test-ca.ts';

afterAll(() => killAll());

interface Entry { at: number; actor: string; action: string; target: string; detail?: Record<string, unknown> }

describe('the audit trail', () => {
  it('records each admin action and token event once, read alike by sigmascope audit and the API', async () => {
    const ca = makeTestCa();
    const dir = tempDir('sigmascope-tls-');
    const cert = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
    const issued = ca.issue('collector');
    copyFileSync(issued.cert, cert.cert);
    copyFileSync(issued.key, cert.key);
    const c = await startCollector({ extraArgs: ['--tls-cert', cert.cert, '--tls-key', cert.key], env: { SIGMASCOPE_LOG_LEVEL: 'info' } });
    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', c.dataDir]).stdout.trim();
    const agentToken = createAgentToken(c, 'audited');
    const call = (method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> =>
      new Promise((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const req = request({ host: '127.0.0.1', port: c.port, method, path, ca: readFileSync(ca.cert), headers: { authorization: `Bearer ${token}`, ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) } }, (res) => {
          let out = '';
          res.on('data', (d: Buffer) => (out += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: out === '' ? null : JSON.parse(out) }));
        });
        req.on('error', reject);
        req.end(text);
      });

    // An agent's first connection, with one violation in its first batch.
    const ws = new WebSocket(`wss://127.0.0.1:${c.port}/ingest`, { headers: { authorization: `Bearer ${agentToken}` }, ca: readFileSync(ca.cert) });
    const answers: number[] = [];
    ws.on('message', () => answers.push(1));
    await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
    ws.send(encodeFrame({ t: 'hello', proto: 1, agentVersion: 't', bootId: 'b', stream: 's', hostname: 'h', clock: Date.now() }));
    const b = new BatchBuilder();
    const ts = Date.now();
    b.add(series('hw.gpu.temperature', { 'hw.id': 'GPU-0' }), ts, 91);
    b.addEvent({ kind: 'spc', ts, name: 'hw.gpu.temperature', labels: { 'hw.id': 'GPU-0' }, rule: '1', value: 91, center: 60, sigma: 5 });
    ws.send(encodeFrame(b.seal(1, ts)));
    while (answers.length < 2) await new Promise((r) => setTimeout(r, 50));
    ws.close();

    expect((await call('POST', '/login', admin, { token: admin })).status).toBe(200);
    const violations = (await call('GET', '/api/v1/violations?from=0', admin)).json as { violations: { id: number }[] };
    const id = (violations.violations[0] as { id: number }).id;
    expect((await call('POST', `/api/v1/violations/${id}`, admin, { state: 'acknowledged' })).status).toBe(200);
    expect((await call('POST', `/api/v1/violations/${id}`, admin, { state: 'resolved' })).status).toBe(200);
    const silence = await call('POST', '/api/v1/silences', admin, { matchers: { rule: 'gpu-hot' }, endsAt: Date.now() + 3_600_000, comment: 'maintenance' });
    expect(silence.status).toBe(201);
    expect((await call('DELETE', `/api/v1/silences/${(silence.json as { id: number }).id}`, admin)).status).toBe(200);
    expect((await call('POST', '/api/v1/spc/baselines', admin, { agent: 'audited', name: 'hw.gpu.temperature', labels: { 'hw.id': 'GPU-0' } })).status).toBe(200);
    expect(runCli(['token', 'rotate', 'audited', '--window', '1h', '--data', c.dataDir]).status).toBe(0);
    expect(runCli(['token', 'revoke', 'audited', '--data', c.dataDir]).status).toBe(0);
    c.proc.child.kill('SIGHUP');
    await waitForOutput(c.proc, /TLS certificate reloaded/);

    const cli = runCli(['audit', '--json', '--data', c.dataDir]);
    expect(cli.status, cli.stderr).toBe(0);
    const entries = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as Entry).reverse();
    const actions = entries.map((e) => `${e.actor} ${e.action} ${e.target}`);
    expect(actions).toEqual([
      'cli token.create test-viewer',
      'cli token.create ops',
      'cli token.create audited',
      'audited token.first_use audited',
      'ops token.first_use ops',
      'ops session.login ops',
      `ops violation.acknowledge ${id}`,
      `ops violation.resolve ${id}`,
      expect.stringMatching(/^ops silence\.create sil_[\w-]+$/),
      expect.stringMatching(/^ops silence\.expire sil_[\w-]+$/),
      expect.stringMatching(/^ops spc\.rebaseline /),
      'cli token.rotate audited',
      'cli token.revoke audited',
      'signal config.reload tls',
    ]);
    expect(entries.find((e) => e.action === 'token.first_use' && e.target === 'audited')?.detail).toEqual({ role: 'agent', from: '127.0.0.1' });

    // The API answers the same entries, to an admin only.
    const api = await call('GET', '/api/v1/audit?from=0', admin);
    expect((api.json as { entries: Entry[] }).entries.map((e) => `${e.actor} ${e.action} ${e.target}`).reverse()).toEqual(entries.map((e) => `${e.actor} ${e.action} ${e.target}`));
    expect((await call('GET', '/api/v1/audit', c.viewerToken)).status).toBe(403);
    // Filters, and the table a person reads.
    const tokensOnly = runCli(['audit', '--action', 'token.*', '--json', '--data', c.dataDir]).stdout.trim().split('\n');
    // Seven of the first list, and the viewer token's first use by the refused request just above.
    expect(tokensOnly).toHaveLength(8);
    expect(runCli(['audit', '--data', c.dataDir]).stdout.split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z\ttest-viewer\ttoken\.first_use\ttest-viewer\t\{"role":"viewer"/);
    const bad = runCli(['audit', '--action', 'DROP TABLE', '--data', c.dataDir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--action: "DROP TABLE" is not an action');
    // No token in any entry.
    for (const t of [admin, agentToken, c.viewerToken]) expect(cli.stdout).not.toContain(t);
    await stop(c.proc);
  });
});
