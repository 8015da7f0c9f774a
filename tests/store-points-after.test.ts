/**
 * pointsAfter, the read of a follower (the incident detector): every point after the cursor
 * exactly once, whether it is still in the head, went to chunks between two calls, or was in
 * chunks a previous process wrote.
 */
import { describe, expect, it } from 'vitest';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const freshDir = scratchDirs('store-points-after-');

/** A store whose collector clock is `now()`; one series on agent a, 1 Hz. */
function storeAt(dir: string, now: () => number): ChunkedStore {
  return new ChunkedStore(openDatabase(dir).db, { clock: now, graceMs: 1_000 });
}

function add(store: ChunkedStore, seq: number, ts: number): void {
  store.storeBatch('a', 'main', seq, [{ name: 'system.cpu.utilization', labels: {}, ts: Float64Array.of(ts), values: Float64Array.of(seq / 1000) }], [], ts);
}

/** One call of a follower at `cursor`: appends what it got to `seen`, returns the new cursor. */
function follow(store: ChunkedStore, id: number, seen: number[], cursor: number): number {
  const p = store.pointsAfter(id, cursor);
  for (const t of p.ts) seen.push(t);
  return p.ts.length > 0 ? (p.ts[p.ts.length - 1] as number) : cursor;
}

describe('pointsAfter', () => {
  it('returns each point once across flushes to chunks, and reads chunks of an earlier process', () => {
    const dir = freshDir();
    let now = T0;
    const store = storeAt(dir, () => now);
    const seen: number[] = [];
    let cursor = T0 - 1;
    let seq = 0;
    let id = -1;
    for (let k = 0; k < 200; k++) {
      now = T0 + k * 1_000;
      add(store, ++seq, now);
      if (id < 0) id = (store.findSeries('system.cpu.utilization', () => true, 10).series[0] as { id: number }).id;
      // The store's own flush job runs every second; the follower comes back every 5 s.
      store.flush();
      if (k % 5 === 4) cursor = follow(store, id, seen, cursor);
    }
    cursor = follow(store, id, seen, cursor);
    expect(seen).toEqual(Array.from({ length: 200 }, (_, k) => T0 + k * 1_000));
    expect(store.raw(id, T0, T0 + 60_000).ts.length).toBe(61);
    // A follower back after a long pause: what it missed is older than the flushed tail kept in memory, so chunks are read.
    expect([...store.pointsAfter(id, T0 + 49_500).ts]).toEqual(Array.from({ length: 150 }, (_, k) => T0 + 50_000 + k * 1_000));
    store.close();

    // A new process: its first read of what the old one flushed comes from chunks.
    const reopened = storeAt(dir, () => now);
    expect([...reopened.pointsAfter(id, T0 + 100_000).ts]).toEqual(Array.from({ length: 99 }, (_, k) => T0 + 101_000 + k * 1_000));
    reopened.close();
  });
});
