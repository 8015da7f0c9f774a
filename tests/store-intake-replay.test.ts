/**
 * Exactly-once across a crash when agents' clocks or backlogs disagree: a batch whose points
 * were written to chunks must not come back from the intake at the next start. The case: one
 * agent streams live (its minute is still open, so its intake records must stay), another
 * delivers a backlog from ten minutes ago (its windows are closed, so its points are flushed at
 * once). A crash after that flush must leave every point stored once.
 */
import { describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const freshDir = scratchDirs('store-replay-');

const batch = (ts: number, v: number): BatchSeries[] => [
  { name: 'system.cpu.utilization', labels: {}, ts: Float64Array.of(ts), values: Float64Array.of(v) },
  { name: 'hw.gpu.temperature', labels: { 'hw.id': '0' }, ts: Float64Array.of(ts), values: Float64Array.of(60 + v) },
];

function stored(store: ChunkedStore): string[] {
  const out: string[] = [];
  for (const name of store.metricNames()) {
    for (const s of store.findSeries(name, () => true, 100).series) {
      const p = store.raw(s.id, 0, Number.MAX_SAFE_INTEGER);
      for (let i = 0; i < p.ts.length; i++) out.push(`${s.agent}/${name}@${p.ts[i]}=${p.values[i]}`);
    }
  }
  return out.sort();
}

describe('intake replay', () => {
  it('brings back no point that a flush already wrote, when a backlog flushes before the live minute closes', () => {
    const dir = freshDir();
    let now = T0 + 5_000;
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    const want: string[] = [];
    let liveSeq = 0;
    let lateSeq = 0;
    for (let k = 0; k < 20; k++) {
      // Interleaved as they arrive: a live tick, then a backlog frame from ten minutes ago.
      const live = T0 + k * 500;
      store.storeBatch('live', 'main', ++liveSeq, batch(live, k / 100), [], now);
      const late = T0 - 600_000 + k * 500;
      store.storeBatch('late', 'main', ++lateSeq, batch(late, k / 100), [], now);
      for (const s of batch(live, k / 100)) want.push(`live/${s.name}@${s.ts[0]}=${s.values[0]}`);
      for (const s of batch(late, k / 100)) want.push(`late/${s.name}@${s.ts[0]}=${s.values[0]}`);
    }
    now = T0 + 10_000;
    store.flush();
    expect(stored(store)).toEqual(want.sort());
    expect(store.duplicateRowCount()).toBe(0);
    // kill -9: the file closes without the shutdown flush.
    store.database.close();

    const again = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(stored(again)).toEqual(want);
    expect(again.duplicateRowCount()).toBe(0);
    now = T0 + 3_600_000;
    again.flush();
    expect(stored(again)).toEqual(want);
    expect(again.duplicateRowCount()).toBe(0);
    again.close();
  });
});
