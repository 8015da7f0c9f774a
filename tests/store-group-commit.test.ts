/**
 * Group commit: several agents' batches stored in ONE transaction (storeFrames) and each
 * acknowledged only after it committed. A commit that fails stores none of its batches, leaves no
 * trace in memory, and loses nothing acknowledged; resent, they are stored exactly once. The
 * frames record of the intake replays every point bit for bit after a crash.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { decodeFrame, encodeFrame } from '../protocol/src/codec.ts';
import type { BatchFrame } from '../protocol/src/frames.ts';
import { silentLogger } from '../protocol/src/log.ts';
import { series } from '../protocol/src/series.ts';
import { loadCollectorConfig } from '../collector/src/config/collector-config.ts';
import { runCollector } from '../collector/src/main.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { FrameSeriesCache } from '../collector/src/store/head/frame-series.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import type { ReceivedFrame } from '../collector/src/store/store.ts';
import { connectAgent } from './support/ws-agent.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const freshDir = scratchDirs('group-commit-');
/** Frame `seq` of an agent: 2 GPUs × 2 metrics at T0 + seq·500 ms (plus `extra` series when given). */
function frameBytes(seq: number, extra: string[] = []): Uint8Array {
  const b = new BatchBuilder();
  for (const gpu of ['GPU-0', 'GPU-1']) {
    b.add(series('hw.gpu.utilization', { 'hw.id': gpu }), T0 + seq * 500, ((seq * 37) % 100) / 100);
    b.add(series('hw.gpu.temperature', { 'hw.id': gpu }), T0 + seq * 500, seq === 3 ? -0 : 60 + (seq % 7));
  }
  for (const name of extra) b.add(series(name), T0 + seq * 500, 1);
  return encodeFrame(b.seal(seq, T0));
}

const caches = new Map<string, FrameSeriesCache>();
function received(agentId: string, seq: number, extra: string[] = []): ReceivedFrame {
  const bytes = frameBytes(seq, extra);
  const cache = caches.get(agentId) ?? new FrameSeriesCache();
  caches.set(agentId, cache);
  return { agentId, stream: 'main', frame: (decodeFrame(bytes) as { frame: BatchFrame }).frame, bytes, dictionary: cache, receivedAt: T0 };
}

/** Every point as text, value bits included, sorted. */
function allPoints(store: ChunkedStore): string[] {
  const out: string[] = [];
  for (const name of store.metricNames()) {
    for (const s of store.findSeries(name, () => true, 1_000).series) {
      const p = store.raw(s.id, 0, Number.MAX_SAFE_INTEGER);
      const bits = new Uint32Array(p.values.buffer, p.values.byteOffset, p.values.length * 2);
      for (let i = 0; i < p.ts.length; i++) out.push(`${s.agent}/${name}/${s.labels['hw.id'] ?? ''}@${p.ts[i]}=${bits[2 * i]}:${bits[2 * i + 1]}`);
    }
  }
  return out.sort();
}

function expected(agents: string[], seqs: number[]): string[] {
  const ref = new ChunkedStore(openDatabase(freshDir()).db);
  const local = new Map<string, FrameSeriesCache>();
  for (const seq of seqs) {
    for (const a of agents) {
      const bytes = frameBytes(seq);
      const cache = local.get(a) ?? new FrameSeriesCache();
      local.set(a, cache);
      ref.storeFrames([{ agentId: a, stream: 'main', frame: (decodeFrame(bytes) as { frame: BatchFrame }).frame, bytes, dictionary: cache, receivedAt: T0 }]);
    }
  }
  const points = allPoints(ref);
  ref.close();
  return points;
}

describe('group commit in the store', () => {
  it('stores several agents’ batches in one call, each seq once, a repeated seq as a duplicate', () => {
    caches.clear();
    const store = new ChunkedStore(openDatabase(freshDir()).db);
    const outcomes = store.storeFrames([received('a', 1), received('b', 1), received('a', 2), received('a', 2), received('b', 2), received('a', 1)]);
    expect(outcomes).toEqual(['stored', 'stored', 'stored', 'duplicate', 'stored', 'duplicate']);
    expect(store.lastSeq('a', 'main')).toBe(2);
    expect(store.lastSeq('b', 'main')).toBe(2);
    expect(store.sampleCount()).toBe(16);
    expect(store.agents().map((a) => [a.id, a.samples])).toEqual([['a', 8], ['b', 8]]);
    expect(store.database.prepare('select count(*) from intake').pluck().get(), 'one intake record per commit').toBe(1);
    expect(allPoints(store)).toEqual(expected(['a', 'b'], [1, 2]));
    store.close();
  });

  it('stores nothing of a group whose transaction fails, loses nothing acknowledged across a crash, and stores the resent group once', () => {
    caches.clear();
    const dir = freshDir();
    let store = new ChunkedStore(openDatabase(dir).db);
    expect(store.storeFrames([received('a', 1), received('b', 1)])).toEqual(['stored', 'stored']);
    expect(store.storeFrames([received('a', 2), received('b', 2)])).toEqual(['stored', 'stored']);
    const seriesRows = store.database.prepare('select count(*) from series').pluck();
    const before = { series: seriesRows.get(), samples: store.sampleCount(), points: allPoints(store) };
    // The third batch of the group brings a new series that SQLite refuses: the transaction throws mid-way.
    store.database.exec("create trigger refuse_x before insert on series when new.name = 'sigmascope.refused' begin select raise(abort, 'refused'); end");
    expect(() => store.storeFrames([received('a', 3), received('b', 3), received('a', 4, ['sigmascope.refused']), received('b', 4)])).toThrow(/refused/);
    expect(store.lastSeq('a', 'main')).toBe(2);
    expect(store.lastSeq('b', 'main')).toBe(2);
    expect({ series: seriesRows.get(), samples: store.sampleCount(), points: allPoints(store) }).toEqual(before);

    // kill -9 now: the file is closed without the shutdown flush; only what committed (and was acked) is there.
    store.database.close();
    caches.clear();
    store = new ChunkedStore(openDatabase(dir).db);
    expect(store.lastSeq('a', 'main')).toBe(2);
    expect(allPoints(store)).toEqual(before.points);

    // The agents resend from lastSeq + 1, the resent batches again in one group with a seq repeated.
    expect(store.storeFrames([received('a', 3), received('b', 3), received('a', 4), received('b', 4), received('a', 3)])).toEqual(['stored', 'stored', 'stored', 'stored', 'duplicate']);
    expect(allPoints(store)).toEqual(expected(['a', 'b'], [1, 2, 3, 4]));
    expect(store.duplicateRowCount()).toBe(0);
    store.close();
    store = new ChunkedStore(openDatabase(dir).db);
    expect(allPoints(store)).toEqual(expected(['a', 'b'], [1, 2, 3, 4]));
    expect(store.sampleCount()).toBe(32);
    store.close();
  });

  it('forgets series ids a failed group created, so a connection’s cache never points at a row that does not exist', () => {
    caches.clear();
    const store = new ChunkedStore(openDatabase(freshDir()).db);
    store.database.exec("create trigger refuse_x before insert on series when new.name = 'sigmascope.refused' begin select raise(abort, 'refused'); end");
    // 'a' resolves its four series (new rows) in the group; the transaction fails on 'b'.
    expect(() => store.storeFrames([received('a', 1), received('b', 1, ['sigmascope.refused'])])).toThrow(/refused/);
    store.database.exec('drop trigger refuse_x');
    // Another agent takes the row ids first; then 'a' sends again with the same dictionary.
    expect(store.storeFrames([received('c', 1)])).toEqual(['stored']);
    expect(store.storeFrames([received('a', 1), received('a', 2)])).toEqual(['stored', 'stored']);
    expect(allPoints(store)).toEqual([...expected(['c'], [1]), ...expected(['a'], [1, 2])].sort());
    store.close();
  });
});

describe('group commit and the flush', () => {
  it('duplicates nothing after a crash when a commit’s frames straddle a minute that a flush closed', () => {
    caches.clear();
    const dir = freshDir();
    let now = T0;
    let store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    // Ticks 119 and 120 (T0 + 59.5 s, T0 + 60 s) in one commit: the record straddles the minute,
    // whose first half the flush may close while the second stays open.
    expect(store.storeFrames([received('a', 118), received('a', 119), received('a', 120)])).toEqual(['stored', 'stored', 'stored']);
    now = T0 + 61_000;
    store.flush();
    expect(store.duplicateRowCount()).toBe(0);
    store.database.close(); // kill -9: no shutdown flush
    store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(store.duplicateRowCount()).toBe(0);
    expect(allPoints(store)).toEqual(expected(['a'], [118, 119, 120]));
    store.close();
  });
});

describe('group commit over the wire', () => {
  it('acknowledges each batch only once its seq is committed, readable by another connection to the file', async () => {
    const data = freshDir();
    const c = await runCollector(loadCollectorConfig({}, 'test', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data, listen: '127.0.0.1', port: 0 }), silentLogger, null);
    try {
      const reader = new Database(join(data, 'sigmascope.db'), { readonly: true, fileMustExist: true });
      const committed = reader.prepare('select last_seq from streams where agent_id = ? and stream = ?').pluck();
      const agents = await Promise.all(['g1', 'g2', 'g3'].map(async (name) => {
        const t = c.tokens.create(name, 'agent');
        if (!t.ok) throw new Error(t.reason);
        const agent = await connectAgent(`ws://127.0.0.1:${c.port}/ingest`, t.token);
        agent.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'main', hostname: name, clock: Date.now() });
        await agent.waitFor(1);
        return { name, agent };
      }));
      // When each ack arrives, the database (not just the collector's memory) already holds its seq.
      const seenAtAck: [string, number, number][] = [];
      for (const { name, agent } of agents) {
        agent.ws.on('message', (bytes: Buffer) => {
          const d = decodeFrame(bytes);
          if (d.ok && d.frame.t === 'ack') seenAtAck.push([name, d.frame.seq, committed.get(name, 'main') as number]);
        });
      }
      // Every agent sends 20 frames at once: they queue and share commits.
      for (let seq = 1; seq <= 20; seq++) for (const { agent } of agents) agent.send(frameBytes(seq));
      for (const { agent } of agents) await agent.waitFor(21);
      for (const { agent } of agents) expect(agent.received.slice(1).map((f) => (f.t === 'ack' && !f.dup ? f.seq : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(seenAtAck).toHaveLength(60);
      for (const [name, seq, lastSeq] of seenAtAck) expect(lastSeq, `${name} seq ${seq}`).toBeGreaterThanOrEqual(seq);
      const stats = (await (await fetch(`http://127.0.0.1:${c.port}/api/v1/stats`, { headers: { authorization: `Bearer ${(c.tokens.create('v', 'viewer') as { token: string }).token}` } })).json()) as { frames: { stored: number; commits: number } };
      expect(stats.frames.stored).toBe(60);
      expect(stats.frames.commits).toBeLessThanOrEqual(60);
      reader.close();
      await Promise.all(agents.map((a) => a.agent.close()));
    } finally {
      await c.stop();
    }
  });
});
