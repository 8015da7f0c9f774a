/**
 * Mixed protocol versions and hostile control frames:
 *   - an agent speaking protocol 1 (a hand-driven connection, as the previous release's agent)
 *     gets welcome proto 1 and never a sync frame, while a violation of its own is acknowledged
 *     and one of its series re-baselined, and its batches keep being stored; the same agent
 *     upgraded to protocol 2 learns both changes right after its welcome;
 *   - the real agent against a collector of the previous release (a scripted one that refuses
 *     protocol 2 with 4001, as that release does) falls back to protocol 1 and delivers;
 *   - the real agent's decoder refuses a hostile sync frame, names why, and reconnects.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import { Packr } from 'msgpackr';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { decodeFrame, encodeFrame } from '../protocol/src/codec.ts';
import { CloseCode, RejectCode } from '../protocol/src/frames.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { getJson, killAll, runCli, stop, waitFor } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

afterAll(() => killAll());

const hello = (proto: number, stream: string) => ({ t: 'hello', proto, agentVersion: 'test', bootId: 'b', stream, hostname: 'h', clock: Date.now() }) as const;

/** A collector that speaks only what `script` answers: each decoded agent frame goes to it. */
async function scriptedCollector(script: (ws: WebSocket, frame: ReturnType<typeof decodeFrame>) => void): Promise<{ port: number; hellos: number[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const hellos: number[] = [];
  wss.on('connection', (ws) => ws.on('message', (data: Buffer) => {
    const d = decodeFrame(data);
    if (d.ok && d.frame.t === 'hello') hellos.push(d.frame.proto);
    script(ws, d);
  }));
  await new Promise((r) => wss.once('listening', r));
  return { port: (wss.address() as AddressInfo).port, hellos, close: () => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r(undefined)); }) };
}

describe('protocol versions', () => {
  it('a protocol-1 agent gets no sync frames and keeps working; upgraded to 2 it learns both changes at its welcome', async () => {
    const collector = await startCollector();
    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
    const token = createAgentToken(collector, 'old-agent');
    const old = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, token);
    old.send(hello(1, 'old'));
    await old.waitFor(1);
    expect(old.received[0]).toMatchObject({ t: 'welcome', proto: 1 });
    const now = Date.now();
    const cpu = series('system.cpu.utilization');
    const b = new BatchBuilder();
    b.add(cpu, now, 0.9);
    b.addEvent({ kind: 'spc', ts: now, name: cpu.name, labels: {}, rule: 'nelson-1', value: 0.9, center: 0.2, sigma: 0.1 });
    old.send(encodeFrame(b.seal(1, now)));
    await old.waitFor(2);

    const { violations } = await getJson<{ violations: { id: number }[] }>(collector.url('/api/v1/violations'), collector.viewerToken);
    const post = (path: string, body: unknown): Promise<Response> => fetch(collector.url(path), { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post(`/api/v1/violations/${violations[0]?.id}`, { state: 'acknowledged' })).status).toBe(200);
    const rebased = (await (await post('/api/v1/spc/baselines', { agent: 'old-agent', series: cpu.key })).json()) as { at: number };

    // The old link still stores and acknowledges, and received nothing but its welcome and acks.
    const b2 = new BatchBuilder();
    b2.add(cpu, now + 500, 0.5);
    old.send(encodeFrame(b2.seal(2, now + 500)));
    await old.waitFor(3);
    expect(old.received.map((f) => f.t)).toEqual(['welcome', 'ack', 'ack']);
    expect(old.received[2]).toEqual({ t: 'ack', seq: 2 });
    await old.close();

    // The same agent upgraded (protocol 2): its welcome is followed by what changed meanwhile.
    const fresh = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, token);
    fresh.send(hello(2, 'old'));
    await fresh.waitFor(2);
    expect(fresh.received[0]).toMatchObject({ t: 'welcome', proto: 2, lastSeq: 2 });
    expect(fresh.received[1]).toEqual({ t: 'sync', violations: [{ key: cpu.key, rule: 'nelson-1', ts: now, state: 'acknowledged' }], baselines: [{ key: cpu.key, at: rebased.at }] });
    await fresh.close();
    await stop(collector.proc);
  }, 60_000);

  it('the agent falls back to protocol 1 against a collector that refuses 2, and delivers', async () => {
    let stored = 0;
    const v1 = await scriptedCollector((ws, d) => {
      if (!d.ok) return;
      if (d.frame.t === 'hello') {
        // What the previous release answers to a version beyond its own.
        if (d.frame.proto !== 1) return void (ws.send(encodeFrame({ t: 'error', code: RejectCode.unsupportedVersion, detail: `protocol ${d.frame.proto} is not in [1, 1]` })), ws.close(CloseCode.unsupportedVersion, 'unsupported protocol version'));
        return void ws.send(encodeFrame({ t: 'welcome', proto: 1, agentId: 'a', lastSeq: 0, clock: Date.now() }));
      }
      if (d.frame.t === 'batch') (stored++, ws.send(encodeFrame({ t: 'ack', seq: d.frame.seq })));
    });
    const agent = await startAgent({ collectorPort: v1.port, token: 'sigmascope_agent_test', name: 'fallback' });
    const s = await waitFor('acknowledged samples over protocol 1', async () => {
      const j = await getJson<{ collector: { state: string; protocol: number | null }; samples: { acked: number } }>(`http://127.0.0.1:${agent.statusPort}/api/status`);
      return j.samples.acked > 0 ? j : undefined;
    }, 30_000, 200);
    expect(s.collector).toMatchObject({ state: 'connected', protocol: 1 });
    expect(v1.hellos.slice(0, 2)).toEqual([2, 1]);
    expect(stored).toBeGreaterThan(0);
    await stop(agent.proc);
    await v1.close();
  }, 60_000);

  it('the agent refuses a hostile sync frame with the reason, and reconnects', async () => {
    const raw = new Packr({ useRecords: false });
    const hostile = [
      { t: 'sync', violations: [{ key: 'k', rule: 'nelson-1', ts: Date.now(), state: 'deleted' }], baselines: [] },
      { t: 'sync', violations: [], baselines: [], extra: true },
      { t: 'sync', violations: [], baselines: Array.from({ length: 1_001 }, () => ({ key: 'k', at: Date.now() })) },
    ];
    let connection = 0;
    const c = await scriptedCollector((ws, d) => {
      if (!d.ok || d.frame.t !== 'hello') return;
      ws.send(encodeFrame({ t: 'welcome', proto: 2, agentId: 'a', lastSeq: 0, clock: Date.now() }));
      ws.send(raw.pack(hostile[connection++ % hostile.length]));
    });
    const agent = await startAgent({ collectorPort: c.port, token: 'sigmascope_agent_test', name: 'hostile', env: { SIGMASCOPE_LOG_LEVEL: 'info' } });
    const reasons = [/schema sync\.violations\[0\]\.state must be one of open, acknowledged, resolved/, /schema sync has unknown field \\"extra\\"/, /too_large sync\.baselines has more than 1000 entries/];
    // The log is JSON lines: the reason's quotes are escaped there.
    for (const reason of reasons) await waitFor(`the agent to refuse: ${reason}`, () => (reason.test(agent.proc.output()) ? true : undefined), 60_000, 200);
    expect(c.hellos.length).toBeGreaterThanOrEqual(3);
    expect(agent.proc.output()).toContain('collector sent a bad frame');
    // Nothing was acknowledged by the hostile collector, so nothing sampled left the buffer.
    const j = await getJson<{ samples: { acked: number; produced: number; buffered: number } }>(`http://127.0.0.1:${agent.statusPort}/api/status`);
    expect(j.samples.acked).toBe(0);
    await stop(agent.proc);
    await c.close();
  }, 90_000);
});
