/**
 * A live collector process under hostile input: 100,000 mutated frames on one connection while a
 * legitimate agent streams on another. Every bad frame gets a reason and is counted, every valid
 * frame is stored, and the collector keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { RejectCode } from '../protocol/src/frames.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startCollector } from './support/fleet.ts';
import type { CollectorHandle } from './support/fleet.ts';
import { getJson, killAll, runCli, stop } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

const T0 = Date.now();
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

function batch(seq: number, samples: number): Uint8Array {
  const b = new BatchBuilder();
  for (let i = 0; i < samples; i++) b.add(series('system.cpu.utilization', { 'cpu.mode': `m${i % 4}` }), T0 + i, i / samples);
  return encodeFrame(b.seal(seq, T0));
}

const hello = (stream: string) => ({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream, hostname: 'h', clock: Date.now() }) as const;

describe('collector under 100,000 mutated frames', () => {
  it('rejects every bad frame with a reason, stores every valid one, and keeps serving', async () => {
    const legit = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, tokenA);
    const fuzzer = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, tokenB);
    legit.send(hello('legit'));
    fuzzer.send(hello('fuzz'));
    await legit.waitFor(1);
    await fuzzer.waitFor(1);

    const template = batch(1, 16);
    const loose = new Packr({ useRecords: true, structuredClone: true, moreTypes: true });
    const hostile: Uint8Array[] = [
      new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]), // array claiming 4 billion items
      new Uint8Array([...Array(5000).fill(0x91), 0xc0]), // deep nesting
      loose.pack({ t: 'batch', seq: 1, when: new Date() }), // extension types
      new Packr({ useRecords: false }).pack(JSON.parse('{"t":"batch","seq":1,"__proto__":{"x":1}}')),
      new Uint8Array([0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]), // a bare NaN
    ];
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const TOTAL = 100_000;
    const CHUNK = 2_000;
    let legitSeq = 0;
    for (let sent = 0; sent < TOTAL; sent += CHUNK) {
      for (let i = 0; i < CHUNK; i++) {
        const k = sent + i;
        let bytes: Uint8Array;
        if (k % 10 === 0) bytes = hostile[rand(hostile.length)] as Uint8Array;
        else {
          const m = Uint8Array.from(template);
          for (let f = 0; f <= rand(3); f++) {
            const at = rand(m.length);
            m[at] = (m[at] as number) ^ (1 << rand(8));
          }
          bytes = rand(8) === 0 ? m.subarray(0, rand(m.length)) : m;
        }
        fuzzer.send(bytes);
      }
      // Interleaved: the legitimate agent streams between chunks.
      legit.send(batch(++legitSeq, 50));
      await fuzzer.waitFor(1 + sent + CHUNK, 60_000);
    }
    await legit.waitFor(1 + legitSeq);

    // The collector answered every frame: an error with a reason, or an ack for a frame that survived mutation intact.
    const answers = fuzzer.received.slice(1);
    expect(answers.length).toBe(TOTAL);
    const errors = answers.filter((f) => f.t === 'error');
    // Every rejection carries one of the protocol's stable reason codes.
    const known = new Set<string>(Object.values(RejectCode));
    expect(errors.filter((e) => e.t === 'error' && !known.has(e.code))).toEqual([]);
    expect(errors.length).toBeGreaterThan(TOTAL * 0.5);

    // Every legitimate frame acked and stored, exactly once.
    expect(legit.received.slice(1).map((f) => f.t === 'ack' && !f.dup)).toEqual(Array(legitSeq).fill(true));
    const stats = await getJson<{ frames: { rejected: Record<string, number> } }>(collector.url('/api/v1/stats'), collector.viewerToken);
    const rejectedTotal = Object.values(stats.frames.rejected).reduce((a, b) => a + b, 0);
    expect(rejectedTotal).toBe(errors.length);
    const agents = await getJson<{ agents: { id: string; samples: number }[] }>(collector.url('/api/v1/agents'), collector.viewerToken);
    expect(agents.agents.find((a) => a.id === 'legit')?.samples).toBe(legitSeq * 50);

    // Still serving: health and a fresh connection work.
    expect((await fetch(collector.url('/healthz'))).status).toBe(200);
    const again = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, tokenA);
    again.send(hello('legit'));
    await again.waitFor(1);
    expect(again.received[0]).toMatchObject({ t: 'welcome', lastSeq: legitSeq });
    await Promise.all([legit.close(), fuzzer.close(), again.close()]);
  });

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
