/**
 * The uplink against the real ingest server, in one process over a real loopback socket: resume
 * from the collector's last stored seq, cumulative acks, permanent rejections dropped and counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { silentLogger } from '../protocol/src/log.ts';
import { series } from '../protocol/src/series.ts';
import { MemoryFrameBuffer } from '../agent/src/buffer/memory-buffer.ts';
import { Uplink } from '../agent/src/uplink/uplink.ts';
import { loadCollectorConfig } from '../collector/src/config/collector-config.ts';
import { runCollector } from '../collector/src/main.ts';
import type { RunningCollector } from '../collector/src/main.ts';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

async function collector(): Promise<RunningCollector> {
  const c = await runCollector(loadCollectorConfig({ auth: { failureLimit: 20 } }, 'test', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data: mkdtempSync(join(tmpdir(), 'col-')), listen: '127.0.0.1', port: 0 }), silentLogger, null);
  running.push(c);
  return c;
}

function uplink(port: number, token: string, buffer: MemoryFrameBuffer): Uplink {
  const u = new Uplink({
    url: `ws://127.0.0.1:${port}/ingest`, token, buffer, log: silentLogger, window: 4, backoffBaseMs: 50, backoffCapMs: 200, pingIntervalMs: 1_000, pingTimeoutMs: 3_000, ackTimeoutMs: 5_000,
    hello: () => ({ agentVersion: 'test', bootId: 'b', hostname: 'h', clock: Date.now() }),
  });
  running.push(u);
  return u;
}

async function fill(buffer: MemoryFrameBuffer, frames: number, samplesEach: number, value = 1): Promise<void> {
  for (let i = 0; i < frames; i++) {
    const b = new BatchBuilder();
    for (let k = 0; k < samplesEach; k++) b.add(series('system.cpu.utilization', { 'cpu.mode': `m${k}` }), Date.now(), value);
    const seq = buffer.nextSeq();
    await buffer.append(seq, encodeFrame(b.seal(seq, Date.now())), samplesEach);
  }
}

const until = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('uplink ↔ ingest', () => {
  it('ships a backlog with a bounded window and empties the buffer', async () => {
    const c = await collector();
    const created = c.tokens.create('a1', 'agent');
    if (!created.ok) throw new Error(created.reason);
    const buffer = new MemoryFrameBuffer();
    await fill(buffer, 40, 5);
    const u = uplink(c.port, created.token, buffer);
    u.start();
    await until(() => buffer.stats().frames === 0);
    expect(buffer.stats().counters).toMatchObject({ produced: 200, acked: 200 });
    expect(u.status()).toMatchObject({ state: 'connected', framesSent: 40, framesResent: 0, lastAckedSeq: 40 });
  });

  it('resumes where the collector stands: frames it already has are acked locally, not resent', async () => {
    const c = await collector();
    const created = c.tokens.create('a2', 'agent');
    if (!created.ok) throw new Error(created.reason);
    const first = new MemoryFrameBuffer(undefined, 's1');
    await fill(first, 10, 3);
    const u1 = uplink(c.port, created.token, first);
    u1.start();
    await until(() => first.stats().frames === 0);
    await u1.stop();
    // A second buffer of the same stream still holds seqs 1..15 (as after a crash before the acks were written).
    const second = new MemoryFrameBuffer(undefined, 's1');
    await fill(second, 15, 3);
    const u2 = uplink(c.port, created.token, second);
    u2.start();
    await until(() => second.stats().frames === 0);
    expect(u2.status()).toMatchObject({ framesSent: 5, lastAckedSeq: 15 });
    expect(second.stats().counters.acked).toBe(45);
  });

  it('starts a new stream when the collector holds seqs the buffer never numbered, and sends every frame', async () => {
    const c = await collector();
    const created = c.tokens.create('a4', 'agent');
    if (!created.ok) throw new Error(created.reason);
    const first = new MemoryFrameBuffer(undefined, 'restored');
    await fill(first, 12, 3);
    const u1 = uplink(c.port, created.token, first);
    u1.start();
    await until(() => first.stats().frames === 0);
    await u1.stop();
    // Another buffer of the same stream that numbered only 4 frames (a data dir restored from an old backup).
    const second = new MemoryFrameBuffer(undefined, 'restored');
    await fill(second, 4, 5);
    const u2 = uplink(c.port, created.token, second);
    u2.start();
    await until(() => second.stats().frames === 0);
    expect(second.stream()).not.toBe('restored');
    expect(second.stats().counters).toMatchObject({ produced: 20, acked: 20 });
    expect(u2.status().framesSent).toBe(4);
    const viewer = c.tokens.create('v4', 'viewer');
    if (!viewer.ok) throw new Error(viewer.reason);
    const res = await fetch(`http://127.0.0.1:${c.port}/api/v1/agents`, { headers: { authorization: `Bearer ${viewer.token}` } });
    const { agents } = (await res.json()) as { agents: { id: string; samples: number }[] };
    expect(agents.find((a) => a.id === 'a4')?.samples).toBe(12 * 3 + 4 * 5);
  });

  it('drops and counts a frame the collector refuses for good, and goes on', async () => {
    const c = await collector();
    const created = c.tokens.create('a3', 'agent');
    if (!created.ok) throw new Error(created.reason);
    const buffer = new MemoryFrameBuffer();
    await fill(buffer, 2, 4);
    const b = new BatchBuilder();
    b.add(series('system.cpu.utilization'), Date.now(), 1);
    const bad = b.seal(buffer.nextSeq(), Date.now());
    new DataView(bad.v.buffer).setFloat64(0, Number.NaN, true);
    await buffer.append(bad.seq, encodeFrame(bad), 1);
    await fill(buffer, 2, 4);
    const u = uplink(c.port, created.token, buffer);
    u.start();
    await until(() => buffer.stats().frames === 0);
    expect(buffer.stats().counters).toMatchObject({ produced: 17, acked: 16, dropped: { rejected: 1 } });
    expect(u.status().framesRejected).toBe(1);
  });

  it('reports a refused token as the reason it is not connected', async () => {
    const c = await collector();
    const u = uplink(c.port, 'sgs_a_not-a-real-token-000000000000', new MemoryFrameBuffer());
    u.start();
    await until(() => (u.status().lastError ?? '').includes('401'));
    expect(u.status().state).not.toBe('connected');
  });
});
