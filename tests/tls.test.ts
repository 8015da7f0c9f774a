/**
 * TLS and mTLS between real agent and collector processes, with a CA made in the test
 * (tests/support/test-ca.ts): the agent stores through wss:// when it trusts the collector's
 * certificate, and refuses, with words an operator understands, a certificate from another CA,
 * an expired one, one for another host name; with a client CA the collector takes agents with a
 * certificate it signed and refuses the others before the upgrade. SIGHUP swaps the certificate
 * for new connections while streaming agents stay connected. A ws:// URL beyond loopback is
 * refused unless --insecure, which is then said at every connect.
 */
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import type { AgentHandle, CollectorHandle } from './support/fleet.ts';
import { duplicateRows, expectBalanced } from './support/oracle.ts';
import { killAll, runCli, sleep, stop, tempDir, waitFor, waitForOutput } from './support/processes.ts';
import { makeTestCa } from './support/test-ca.ts';
import type { CertFiles } from './support/test-ca.ts';

afterAll(() => killAll());

const ca = makeTestCa();
const otherCa = makeTestCa('Another CA');
const server = ca.issue('collector');

/** GET over https trusting `caFile`; JSON. */
function httpsJson<T>(port: number, path: string, token: string, caFile: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca: readFileSync(caFile), headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`${path}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function tlsCollector(cert: CertFiles, extra: string[] = [], env: Record<string, string> = {}): Promise<CollectorHandle> {
  return startCollector({ extraArgs: ['--tls-cert', cert.cert, '--tls-key', cert.key, ...extra], env });
}

const wss = (c: CollectorHandle): string => `wss://127.0.0.1:${c.port}/ingest`;

/** An agent streaming to `c` over wss with `args` (its TLS flags). */
async function tlsAgent(c: CollectorHandle, name: string, args: string[], env: Record<string, string> = {}): Promise<{ agent: AgentHandle; token: string }> {
  const token = createAgentToken(c, name);
  const agent = await startAgent({ collectorPort: null, token, name, extraArgs: ['--collector', wss(c), ...args], env });
  return { agent, token };
}

/** The oracle over TLS: drain with the same flags, read what is stored over https. */
async function expectBooksBalance(c: CollectorHandle, name: string, token: string, agent: AgentHandle, args: string[]): Promise<void> {
  await stop(agent.proc);
  const r = runCli(['agent', '--drain', '--data', agent.dataDir, '--collector', wss(c), '--drain-timeout-ms', '60000', ...args], { env: { SIGMASCOPE_TOKEN: token, SIGMASCOPE_LOG_LEVEL: 'warn' } });
  expect(r.status, r.stderr).toBe(0);
  const final = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { samples: number; counters: { produced: number; dropped: Record<string, number> } };
  const { agents } = await httpsJson<{ agents: { id: string; samples: number; quarantinedSamples: number; refusedSamples: number }[] }>(c.port, '/api/v1/agents', c.viewerToken, ca.cert);
  const row = agents.find((a) => a.id === name);
  expectBalanced(name, { produced: final.counters.produced, stored: row?.samples ?? 0, quarantined: row?.quarantinedSamples ?? 0, refused: row?.refusedSamples ?? 0, dropped: Object.values(final.counters.dropped).reduce((a, b) => a + b, 0), buffered: final.samples });
  expect(duplicateRows(c)).toBe(0);
}

const lastError = async (a: AgentHandle, pattern: RegExp): Promise<string> =>
  waitFor(`the agent to report ${pattern}`, async () => {
    const s = await a.status();
    return s.collector.lastError !== null && pattern.test(s.collector.lastError) ? s.collector.lastError : undefined;
  }, 20_000);

/** The serial number of the certificate a new TLS connection to `port` is shown. */
const servedSerial = (port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(ca.cert) }, () => {
      resolve(s.getPeerCertificate().serialNumber);
      s.end();
    });
    s.on('error', reject);
  });

describe('TLS between agent and collector', () => {
  it('streams over wss with the CA file, and the dashboard API answers over https', async () => {
    const c = await tlsCollector(server);
    expect(c.proc.output()).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
    const { agent, token } = await tlsAgent(c, 'tls-ok', ['--ca-file', ca.cert]);
    await waitFor('samples stored over wss', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));
    await expectBooksBalance(c, 'tls-ok', token, agent, ['--ca-file', ca.cert]);
    await stop(c.proc);
  });

  it('trusts the CAs Node trusts: an extra CA through NODE_EXTRA_CA_CERTS, none without it', async () => {
    const c = await tlsCollector(server);
    const trusted = await tlsAgent(c, 'tls-extra', [], { NODE_EXTRA_CA_CERTS: ca.cert });
    await waitFor('samples stored', async () => ((await trusted.agent.status()).samples.acked > 0 ? true : undefined));
    const untrusted = await tlsAgent(c, 'tls-none', []);
    expect(await lastError(untrusted.agent, /not signed by a trusted CA/)).toContain('--ca-file');
    await stop(trusted.agent.proc);
    await stop(untrusted.agent.proc);
    await stop(c.proc);
  });

  it('refuses a certificate from another CA, an expired one, one for another host, saying which', async () => {
    const wrongCa = await tlsCollector(server);
    const a = await tlsAgent(wrongCa, 'tls-wrong-ca', ['--ca-file', otherCa.cert]);
    expect(await lastError(a.agent, /not signed by a trusted CA/)).toContain('unable to verify');
    expect((await a.agent.status()).samples.acked).toBe(0);
    await stop(a.agent.proc);
    await stop(wrongCa.proc);

    const expired = await tlsCollector(ca.issue('collector-expired', { expired: true }));
    const b = await tlsAgent(expired, 'tls-expired', ['--ca-file', ca.cert]);
    expect(await lastError(b.agent, /certificate has expired/)).toMatch(/^the collector's certificate has expired/);
    await stop(b.agent.proc);
    await stop(expired.proc);

    const elsewhere = await tlsCollector(ca.issue('collector-elsewhere', { sans: ['DNS:collector.example'] }));
    const d = await tlsAgent(elsewhere, 'tls-hostname', ['--ca-file', ca.cert]);
    expect(await lastError(d.agent, /for another host name/)).toContain("IP: 127.0.0.1 is not in the cert's list");
    await stop(d.agent.proc);
    await stop(elsewhere.proc);
  });

  it('with a client CA, takes an agent with a certificate it signed and refuses the others before the upgrade', async () => {
    const c = await tlsCollector(server, ['--tls-client-ca', ca.cert]);
    const client = ca.issue('tls-mtls', { client: true });
    const args = ['--ca-file', ca.cert, '--cert-file', client.cert, '--key-file', client.key];
    const ok = await tlsAgent(c, 'tls-mtls', args);
    await waitFor('samples stored with a client certificate', async () => ((await ok.agent.status()).samples.acked > 0 ? true : undefined));
    const none = await tlsAgent(c, 'tls-no-cert', ['--ca-file', ca.cert]);
    expect(await lastError(none.agent, /client certificate/)).toBe('collector answered 401 to the upgrade (client certificate required)');
    const foreign = otherCa.issue('tls-foreign', { client: true });
    const wrong = await tlsAgent(c, 'tls-foreign', ['--ca-file', ca.cert, '--cert-file', foreign.cert, '--key-file', foreign.key]);
    expect(await lastError(wrong.agent, /client certificate/)).toMatch(/^collector answered 401 to the upgrade \(client certificate not accepted \(/);
    const stats = await httpsJson<{ auth: { refused: Record<string, number> } }>(c.port, '/api/v1/stats', c.viewerToken, ca.cert);
    expect(stats.auth.refused.client_cert).toBeGreaterThanOrEqual(2);
    await stop(none.agent.proc);
    await stop(wrong.agent.proc);
    await expectBooksBalance(c, 'tls-mtls', ok.token, ok.agent, args);
    await stop(c.proc);
  });

  it('takes a renewed certificate on SIGHUP without dropping the agents, and keeps it when the new files are bad', async () => {
    const dir = tempDir('sigmascope-tls-');
    const live = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
    copyFileSync(server.cert, live.cert);
    copyFileSync(server.key, live.key);
    const c = await tlsCollector(live, [], { SIGMASCOPE_LOG_LEVEL: 'info' });
    const { agent, token } = await tlsAgent(c, 'tls-reload', ['--ca-file', ca.cert]);
    const before = await waitFor('the agent connected', async () => {
      const s = await agent.status();
      return s.samples.acked > 0 ? s : undefined;
    });
    const firstSerial = await servedSerial(c.port);
    const renewed = ca.issue('collector-renewed');
    copyFileSync(renewed.cert, live.cert);
    copyFileSync(renewed.key, live.key);
    c.proc.child.kill('SIGHUP');
    await waitForOutput(c.proc, /TLS certificate reloaded/);
    const secondSerial = await servedSerial(c.port);
    expect(secondSerial).not.toBe(firstSerial);
    await sleep(1_500);
    const after = await agent.status();
    // The same connection carried on: connected since before the reload, and still storing.
    expect(after.collector.connectedSince).toBe(before.collector.connectedSince);
    expect(after.samples.acked).toBeGreaterThan(before.samples.acked);

    copyFileSync(otherCa.cert, live.key); // not a key
    c.proc.child.kill('SIGHUP');
    await waitForOutput(c.proc, /TLS reload failed; the current certificate stays/);
    expect(await servedSerial(c.port)).toBe(secondSerial);
    expect(c.proc.child.exitCode).toBeNull();
    await expectBooksBalance(c, 'tls-reload', token, agent, ['--ca-file', ca.cert]);
    await stop(c.proc);
  });
});

describe('the token in clear', () => {
  it('is refused for a ws:// collector beyond loopback, and said at every connect with --insecure', async () => {
    const refused = runCli(['agent', '--collector', 'ws://192.0.2.10:7300/ingest', '--data', tempDir(), '--status-port', '0'], { env: { SIGMASCOPE_TOKEN: `sgs_a_${'x'.repeat(40)}` } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("--collector: ws://192.0.2.10:7300/ingest would send the agent's token in clear to 192.0.2.10: use wss://");
    const insecure = await startAgent({ collectorPort: null, token: `sgs_a_${'x'.repeat(40)}`, name: 'insecure', extraArgs: ['--collector', 'ws://192.0.2.10:7300/ingest', '--insecure'] });
    await waitForOutput(insecure.proc, /sending the agent token in clear \(--insecure\)/);
    await stop(insecure.proc);
  });

  it('refuses a collector whose certificate or key cannot be read, naming the file', () => {
    const r = runCli(['collector', '--port', '0', '--data', tempDir(), '--tls-cert', server.cert, '--tls-key', join(tempDir(), 'missing.key')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/tls\.keyFile: cannot read \S+missing\.key \(ENOENT\)/);
    const bad = runCli(['collector', '--port', '0', '--data', tempDir(), '--tls-cert', otherCa.key, '--tls-key', server.key]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(otherCa.key);
  });
});
