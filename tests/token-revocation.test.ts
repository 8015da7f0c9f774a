/**
 * `sigmascope token revoke` cuts off connections that are already open (issue 11, defect 4): a
 * real agent and a hand-driven connection stream to a real collector; after the revoke, both are
 * closed with 4004 within seconds, nothing more of theirs is stored, and the agent keeps what it
 * samples in its buffer. Another agent's connection goes on.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { CloseCode } from '../protocol/src/frames.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startAgent, startCollector, storedFor } from './support/fleet.ts';
import { getJson, killAll, runCli, sleep, stop, waitFor } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

afterAll(() => killAll());

const batch = (seq: number): Uint8Array => {
  const b = new BatchBuilder();
  b.add(series('system.cpu.utilization', { 'cpu.mode': 'user' }), Date.now(), 0.5);
  return encodeFrame(b.seal(seq, Date.now()));
};

describe('a token revoked while its connection is open', () => {
  it('closes the connection with 4004 within seconds and stores nothing more from it', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'to-revoke');
    const otherToken = createAgentToken(collector, 'stays');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'to-revoke', gpus: 2 });
    await waitFor('the agent connected and acknowledged', async () => {
      const s = await agent.status();
      return s.collector.state === 'connected' && s.samples.acked > 0 ? s : undefined;
    });
    // One connection per agent token (a second would replace the agent's, 4003): the hand-driven
    // client, which keeps sending after the revoke, has a token of its own, revoked beside the agent's.
    const handToken = createAgentToken(collector, 'to-revoke-by-hand');
    const hand = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, handToken);
    hand.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'by-hand', hostname: 'h', clock: Date.now() });
    await hand.waitFor(1);
    const handClosed = new Promise<{ code: number; at: number }>((r) => hand.ws.once('close', (code) => r({ code, at: Date.now() })));
    const other = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, otherToken);
    other.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'other', hostname: 'h', clock: Date.now() });
    await other.waitFor(1);

    const revokedAt = Date.now();
    expect(runCli(['token', 'revoke', 'to-revoke', '--data', collector.dataDir]).status).toBe(0);
    expect(runCli(['token', 'revoke', 'to-revoke-by-hand', '--data', collector.dataDir]).status).toBe(0);
    // The hand-driven connection keeps sending as if nothing happened.
    let seq = 0;
    const sender = setInterval(() => hand.ws.readyState === hand.ws.OPEN && hand.send(batch(++seq)), 50);
    const closed = await handClosed;
    clearInterval(sender);
    expect(closed.code).toBe(CloseCode.revoked);
    expect(closed.at - revokedAt, 'closed within seconds of the revoke').toBeLessThan(5_000);

    const cut = await waitFor('the agent cut off', async () => {
      const s = await agent.status();
      return s.collector.state !== 'connected' ? s : undefined;
    }, 10_000, 100);
    expect(Date.now() - revokedAt).toBeLessThan(6_000);
    expect(cut.collector.lastError ?? '').toMatch(/4004|401/);
    const storedAtCut = await storedFor(collector, 'to-revoke');
    const handStoredAtCut = await storedFor(collector, 'to-revoke-by-hand');
    await sleep(3_000);
    // Nothing more is stored: the agent cannot reconnect (401) and buffers what it samples.
    expect(await storedFor(collector, 'to-revoke')).toBe(storedAtCut);
    expect(await storedFor(collector, 'to-revoke-by-hand')).toBe(handStoredAtCut);
    const later = await agent.status();
    expect(later.samples.buffered).toBeGreaterThan(0);
    expect(later.collector.lastError ?? '').toContain('401');
    const stats = await getJson<{ connections: { revoked: number } }>(collector.url('/api/v1/stats'), collector.viewerToken);
    expect(stats.connections.revoked).toBe(2);
    expect(await (await fetch(collector.url('/metrics'))).text()).toContain('sigmascope_collector_connections_revoked_total 2');

    // The agent whose token stands is still connected and stored.
    other.send(batch(1));
    await other.waitFor(2);
    expect(other.received[1]).toMatchObject({ t: 'ack', seq: 1 });
    await other.close();
    await stop(agent.proc);
    await stop(collector.proc);
  });
});
