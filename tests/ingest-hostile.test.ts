/**
 * A live collector process under hostile input: a frame over the size limit, and authentication
 * before the upgrade. (Mutated frames by the hundred thousand: tests/soak/f1-mutated-frames.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentToken, startCollector } from './support/fleet.ts';
import type { CollectorHandle } from './support/fleet.ts';
import { killAll, runCli, stop } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

let collector: CollectorHandle;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  collector = await startCollector();
  tokenA = createAgentToken(collector, 'legit');
  tokenB = createAgentToken(collector, 'fuzzer');
});
afterAll(async () => {
  await stop(collector.proc);
  killAll();
});

const hello = (stream: string) => ({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream, hostname: 'h', clock: Date.now() }) as const;

// The 100,000 (and, in `npm run soak`, 1,000,000) mutated frames are RELIABILITY.md's F1: tests/soak/f1-mutated-frames.ts.
describe('collector under hostile frames', () => {
  it('closes a connection that sends a frame over 1 MiB with 1009 and keeps serving', async () => {
    const c = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, tokenB);
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    c.send(new Uint8Array(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
    expect((await fetch(collector.url('/healthz'))).status).toBe(200);
  });
});

describe('authentication before the upgrade', () => {
  it('refuses no token, a wrong token, a viewer token and a revoked token with 401', async () => {
    const url = `ws://127.0.0.1:${collector.port}/ingest`;
    await expect(connectAgent(url, null)).rejects.toThrow('401');
    await expect(connectAgent(url, 'sgs_a_thisisnotavalidtokenatall000000000')).rejects.toThrow('401');
    await expect(connectAgent(url, collector.viewerToken)).rejects.toThrow('401');
  });

  it("takes the identity from the token: agent B's data never lands under A", async () => {
    const b = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, tokenB);
    b.send({ t: 'hello', proto: 1, agentVersion: 'x', bootId: 'b', stream: 'claims-legit', hostname: 'legit', clock: Date.now() });
    await b.waitFor(1);
    expect(b.received[0]).toMatchObject({ t: 'welcome', agentId: 'fuzzer' });
    await b.close();
  });

  it('answers 429 to an address that keeps guessing, while agents elsewhere connect as usual', async () => {
    const url = `ws://127.0.0.1:${collector.port}/ingest`;
    const codes: string[] = [];
    for (let i = 0; i < 25; i++) {
      await connectAgent(url, `sgs_a_guess-${i}-000000000000000000000`, '127.0.0.2').catch((err: Error) => codes.push(err.message));
    }
    expect(codes.slice(0, 20).every((m) => m.includes('401'))).toBe(true);
    expect(codes.slice(20).every((m) => m.includes('429'))).toBe(true);
    await expect(connectAgent(url, tokenA, '127.0.0.2')).rejects.toThrow('429');
    const ok = await connectAgent(url, tokenA, '127.0.0.1');
    await ok.close();
  });

  it('keeps admitting an agent that shares the guesser\'s address, and only the path /ingest', async () => {
    const url = `ws://127.0.0.1:${collector.port}/ingest`;
    // The agent connected from this address before the guessing started.
    const before = await connectAgent(url, tokenA, '127.0.0.3');
    await before.close();
    for (let i = 0; i < 25; i++) await connectAgent(url, `sgs_a_guess-${i}-000000000000000000000`, '127.0.0.3').catch(() => undefined);
    await expect(connectAgent(url, 'sgs_a_guess-more-000000000000000000000', '127.0.0.3')).rejects.toThrow('429');
    // Its reconnect passes; a token never seen from that address (as any guess) still gets 429.
    const again = await connectAgent(url, tokenA, '127.0.0.3');
    again.send(hello('legit-again'));
    await again.waitFor(1);
    expect(again.received[0]).toMatchObject({ t: 'welcome', agentId: 'legit' });
    await again.close();
    await expect(connectAgent(url, tokenB, '127.0.0.3')).rejects.toThrow('429');
    // Another path is not /ingest, whatever it starts with.
    for (const path of ['/ingestXYZ', '/ingest/x', '/ingest2']) await expect(connectAgent(`ws://127.0.0.1:${collector.port}${path}`, tokenA)).rejects.toThrow('404');
    const query = await connectAgent(`${url}?v=1`, tokenA);
    await query.close();
  });

  it('refuses a revoked token', async () => {
    const token = createAgentToken(collector, 'short-lived');
    const first = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, token);
    await first.close();
    expect(runCli(['token', 'revoke', 'short-lived', '--data', collector.dataDir]).status).toBe(0);
    await expect(connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, token)).rejects.toThrow('401');
  });
});
