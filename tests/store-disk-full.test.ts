/**
 * A store that refuses writes (RELIABILITY B2): the collector's database is capped
 * (`store.maxSizeMb`, SQLite's max_page_count), and frames that need more pages fail as on a full
 * disk. The collector keeps running, acknowledges nothing it did not store, closes the agent's
 * connection so that it resends, and says it is not ready (/readyz, /api/v1/stats, /metrics).
 * Restarted with room again, it takes the resent frames and stores every sample exactly once.
 */
import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { silentLogger } from '../protocol/src/log.ts';
import { series } from '../protocol/src/series.ts';
import { loadCollectorConfig } from '../collector/src/config/collector-config.ts';
import { runCollector } from '../collector/src/main.ts';
import type { RunningCollector } from '../collector/src/main.ts';
import { connectAgent } from './support/ws-agent.ts';
import type { WsAgent } from './support/ws-agent.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const freshDir = scratchDirs('disk-full-');

const SERIES_PER_FRAME = 1_000;
const T0 = Date.now();

/** Frame `seq`: 1,000 series new to this frame, each with a long label value (they fill pages fast). */
function frame(seq: number): Uint8Array {
  const b = new BatchBuilder();
  for (let i = 0; i < SERIES_PER_FRAME; i++) b.add(series('hw.gpu.utilization', { 'hw.id': `GPU-${seq}-${i}-${'x'.repeat(200)}` }), T0 + seq, i / SERIES_PER_FRAME);
  return encodeFrame(b.seal(seq, T0));
}

async function start(data: string, maxSizeMb: number): Promise<{ c: RunningCollector; viewer: string }> {
  const c = await runCollector(loadCollectorConfig({ store: { maxSizeMb } }, 'collector.yaml', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data, listen: '127.0.0.1', port: 0 }), silentLogger, null);
  const viewer = c.tokens.create(`viewer-${maxSizeMb}`, 'viewer');
  if (!viewer.ok) throw new Error(viewer.reason);
  return { c, viewer: viewer.token };
}

async function hello(c: RunningCollector, token: string): Promise<{ agent: WsAgent; lastSeq: number }> {
  const agent = await connectAgent(`ws://127.0.0.1:${c.port}/ingest`, token);
  agent.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'main', hostname: 'full', clock: Date.now() });
  await agent.waitFor(1);
  const welcome = agent.received[0];
  if (welcome?.t !== 'welcome') throw new Error('expected welcome');
  return { agent, lastSeq: welcome.lastSeq };
}

const get = async (c: RunningCollector, path: string, token?: string): Promise<{ status: number; body: string }> => {
  const r = await fetch(`http://127.0.0.1:${c.port}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: await r.text() };
};

describe('a store that refuses writes', () => {
  it('acknowledges nothing unstored, reports not ready, and after a restart with room stores every resent sample once', async () => {
    const data = freshDir();
    let { c, viewer } = await start(data, 2);
    const t = c.tokens.create('full', 'agent');
    if (!t.ok) throw new Error(t.reason);
    expect((await get(c, '/readyz')).status).toBe(200);

    // Send frames one by one until one is not acknowledged: the connection closes instead (1001).
    const first = await hello(c, t.token);
    const closed = new Promise<number>((resolve) => first.agent.ws.once('close', (code) => resolve(code)));
    let acked = 0;
    let seq = 0;
    while (first.agent.ws.readyState === first.agent.ws.OPEN && seq < 200) {
      first.agent.send(frame(++seq));
      try {
        await first.agent.waitFor(1 + seq, 10_000);
        const f = first.agent.received[seq];
        if (f?.t === 'ack' && f.seq === seq) acked = seq;
      } catch {
        break;
      }
    }
    expect(await closed).toBe(1001);
    expect(acked).toBeGreaterThan(0);
    expect(acked).toBe(seq - 1);

    // Still serving, and saying why it is not ready.
    expect((await get(c, '/healthz')).status).toBe(200);
    const ready = await get(c, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatch(/the store refuses writes: .*full/);
    const stats = JSON.parse((await get(c, '/api/v1/stats', viewer)).body) as { frames: { stored: number; commitFailures: number }; store: { writable: boolean } };
    expect(stats.store.writable).toBe(false);
    expect(stats.frames.commitFailures).toBeGreaterThan(0);
    expect(stats.frames.stored).toBe(acked);
    expect((await get(c, '/metrics')).body).toContain('sigmascope_collector_store_writable 0');
    await c.stop();

    // Room again: the agent resends from the collector's last seq, and everything is stored once.
    ({ c, viewer } = await start(data, 256));
    const second = await hello(c, t.token);
    expect(second.lastSeq).toBe(acked);
    for (let s = acked + 1; s <= seq; s++) second.agent.send(frame(s));
    await second.agent.waitFor(1 + (seq - acked), 30_000);
    expect(second.agent.received.slice(1).map((f) => (f.t === 'ack' ? f.seq : -1))).toEqual(Array.from({ length: seq - acked }, (_, i) => acked + 1 + i));
    expect((await get(c, '/readyz')).status).toBe(200);
    const agents = JSON.parse((await get(c, '/api/v1/agents', viewer)).body) as { agents: { id: string; samples: number }[] };
    expect(agents.agents.find((a) => a.id === 'full')?.samples).toBe(seq * SERIES_PER_FRAME);
    const after = JSON.parse((await get(c, '/api/v1/stats', viewer)).body) as { store: { writable: boolean } };
    expect(after.store.writable).toBe(true);
    await second.agent.close();
    await c.stop();
  }, 60_000);

  it('refuses a bad store.maxSizeMb naming it, and has no cap by default', () => {
    const load = (store: unknown) => loadCollectorConfig({ store }, 'collector.yaml', {}, {});
    expect(load(undefined).maxDatabaseBytes).toBeNull();
    expect(load({ maxSizeMb: 512 }).maxDatabaseBytes).toBe(512 * 1_048_576);
    expect(() => load({ maxSizeMb: 'lots' })).toThrow(/collector\.yaml: store\.maxSizeMb: "lots" is not an integer/);
    expect(() => load({ maxSizeMb: 0 })).toThrow(/store\.maxSizeMb/);
    expect(() => load({ size: 1 })).toThrow(/store/);
  });
});
