/**
 * Token expiry and rotation with a real collector process and the real CLI: during a rotation
 * window an agent keeps streaming on its old token while the new one works too; after it, the old
 * one is refused before the upgrade with the reason; an expired token is refused likewise; the
 * token list shows each token's state and last use.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openTokenStore } from '../collector/src/main.ts';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, kill9, killAll, runCli, sleep, stop, tempDir, waitFor } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

afterAll(() => killAll());

const hello = { t: 'hello', proto: 1, agentVersion: 't', bootId: 'b', stream: 's', hostname: 'h', clock: Date.now() } as const;

describe('token lifecycle', () => {
  it('rotates without a gap: old and new accepted during the window, the old refused after it', async () => {
    const collector = await startCollector();
    const old = createAgentToken(collector, 'rotor');
    const agent = await startAgent({ collectorPort: collector.port, token: old, name: 'rotor' });
    await waitFor('samples acknowledged on the old token', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));

    const rotated = runCli(['token', 'rotate', 'rotor', '--window', '6s', '--data', collector.dataDir]);
    expect(rotated.status, rotated.stderr).toBe(0);
    const fresh = rotated.stdout.trim();
    expect(rotated.stderr).toMatch(/the previous one is accepted until \d{4}-\d\d-\d\dT/);
    const url = `ws://127.0.0.1:${collector.port}/ingest`;
    // Within the window: both tokens open a connection.
    for (const t of [old, fresh]) {
      const c = await connectAgent(url, t);
      c.send(hello);
      await c.waitFor(1);
      expect(c.received[0]).toMatchObject({ t: 'welcome', agentId: 'rotor' });
      await c.close();
    }
    const listed = runCli(['token', 'list', '--data', collector.dataDir]).stdout.split('\n').filter((l) => l.startsWith('rotor\t'));
    expect(listed[0]).toMatch(/^rotor\tagent\tretiring until \S+\tcreated \S+\texpires -\tlast used \S+ from 127\.0\.0\.1$/);
    expect(listed[1]).toMatch(/^rotor\tagent\tlive\t/);

    await sleep(6_500);
    await expect(connectAgent(url, old)).rejects.toThrow('401 Unauthorized: token revoked');
    // The agent still streaming on the old token is cut off once its window is over (close 4004).
    const cut = await waitFor('the old token\'s connection closed', async () => {
      const s = await agent.status();
      return s.collector.state !== 'connected' && /4004|revoked/.test(s.collector.lastError ?? '') ? s.collector.lastError : undefined;
    }, 15_000);
    expect(cut).toMatch(/revoked/);
    const c = await connectAgent(url, fresh);
    await c.close();
    expect(runCli(['token', 'list', '--data', collector.dataDir]).stdout).toMatch(/^rotor\tagent\trevoked \S+\t/m);
    // Ours above, and the cut-off agent's own reconnect with its retired token (after its backoff).
    const refused = await waitFor('the agent\'s reconnect on the retired token refused', async () => {
      const stats = await getJson<{ auth: { refused: Record<string, number> } }>(collector.url('/api/v1/stats'), collector.viewerToken);
      return (stats.auth.refused.revoked_token ?? 0) >= 2 ? stats.auth.refused.revoked_token : undefined;
    }, 30_000);
    expect(refused).toBeGreaterThanOrEqual(2);

    await stop(agent.proc);
    await expectConservation(collector, 'rotor', fresh, agent.dataDir);
    await stop(collector.proc);
  });

  it('an agent with old and new token in its file moves to the new one when the old is refused, without a restart', async () => {
    let collector = await startCollector();
    const old = createAgentToken(collector, 'mover');
    const file = join(tempDir('sigmascope-token-'), 'token');
    writeFileSync(file, `${old}\n`, { mode: 0o600 });
    const agent = await startAgent({ collectorPort: collector.port, name: 'mover', extraArgs: ['--token-file', file] });
    await waitFor('samples on the old token', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));
    const fresh = runCli(['token', 'rotate', 'mover', '--window', '3s', '--data', collector.dataDir]).stdout.trim();
    // The operator adds the new token to the file; the agent keeps running.
    writeFileSync(file, `${old}\n${fresh}\n`, { mode: 0o600 });
    await sleep(3_500);
    // The next connection (here after a collector restart) offers the old token, is refused, then offers the new one.
    await kill9(collector.proc);
    collector = await startCollector({ dataDir: collector.dataDir, port: collector.port, viewerToken: collector.viewerToken });
    await waitFor('the agent back on the new token', async () => {
      const s = await agent.status();
      return s.collector.state === 'connected' ? s : undefined;
    }, 60_000);
    expect(agent.proc.output()).toContain('the collector refused a token; the next one in the token file is tried');
    const listed = runCli(['token', 'list', '--data', collector.dataDir]).stdout.split('\n').filter((l) => l.startsWith('mover\t'));
    expect(listed[0]).toMatch(/\trevoked /);
    expect(listed[1]).toMatch(/\tlive\t.*last used \S+ from 127\.0\.0\.1$/);
    await stop(agent.proc);
    const books = await expectConservation(collector, 'mover', fresh, agent.dataDir);
    expect(books.dropped).toBe(0);
    await stop(collector.proc);
  });

  it('refuses an expired token before the upgrade and says so', async () => {
    const collector = await startCollector();
    // Expiring in a second: the CLI's --expires starts at a minute, so the test writes it through the store.
    const { tokens, close } = openTokenStore(collector.dataDir);
    const created = tokens.create('brief', 'agent', Date.now() - 59_000, { expiresInMs: 60_000 });
    close();
    if (!created.ok) throw new Error(created.reason);
    const url = `ws://127.0.0.1:${collector.port}/ingest`;
    const c = await connectAgent(url, created.token);
    await c.close();
    await sleep(1_200);
    await expect(connectAgent(url, created.token)).rejects.toThrow('401 Unauthorized: token expired');
    expect(runCli(['token', 'list', '--data', collector.dataDir]).stdout).toMatch(/^brief\tagent\texpired\t/m);
    // The API says why too.
    const api = await fetch(collector.url('/api/v1/agents'), { headers: { authorization: `Bearer ${created.token}` } });
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { message: string } }).error.message).toBe('token expired');
    expect(runCli(['token', 'create', 'x', '--expires', 'soon', '--data', collector.dataDir]).stderr).toContain('--expires: "soon" is not a duration');
    await stop(collector.proc);
  });
});
