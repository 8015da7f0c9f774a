/**
 * The exactly-once contract on the chunked layout: an acknowledged batch survives a crash before
 * its chunk flush, a crash between flushes, and is never stored twice when it is sent again.
 */
import { describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const freshDir = scratchDirs('store-durability-');

/** Batch k: 4 series (2 GPUs × 2 metrics), one point each at T0 + k·500 ms. */
function batch(k: number): BatchSeries[] {
  const out: BatchSeries[] = [];
  for (const gpu of ['0', '1']) {
    for (const name of ['hw.gpu.utilization', 'hw.gpu.temperature']) {
      out.push({ name, labels: { 'hw.id': gpu }, ts: Float64Array.of(T0 + k * 500), values: Float64Array.of(name === 'hw.gpu.temperature' ? 60 + (k % 7) : ((k * 37) % 100) / 100) });
    }
  }
  return out;
}

/** Simulates kill -9 after commit: the file is closed without the shutdown flush. */
function crash(store: ChunkedStore): void {
  store.database.close();
}

function allPoints(store: ChunkedStore): string[] {
  const out: string[] = [];
  for (const name of ['hw.gpu.utilization', 'hw.gpu.temperature']) {
    for (const s of store.findSeries(name, () => true, 100).series) {
      const p = store.raw(s.id, 0, Number.MAX_SAFE_INTEGER);
      for (let i = 0; i < p.ts.length; i++) out.push(`${s.agent}/${name}/${s.labels['hw.id']}@${p.ts[i]}=${p.values[i]}`);
    }
  }
  return out.sort();
}

function expected(batches: number): string[] {
  const out: string[] = [];
  for (let k = 1; k <= batches; k++) for (const s of batch(k)) out.push(`gpu-01/${s.name}/${s.labels['hw.id']}@${s.ts[0]}=${s.values[0]}`);
  return out.sort();
}

describe('chunked store durability', () => {
  it('loses nothing acknowledged when the process dies before any chunk flush', () => {
    const dir = freshDir();
    let now = T0;
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    for (let k = 1; k <= 300; k++) expect(store.storeBatch('gpu-01', 'main', k, batch(k), [], T0)).toBe('stored');
    crash(store);

    const again = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(again.sampleCount()).toBe(1200);
    expect(again.lastSeq('gpu-01', 'main')).toBe(300);
    expect(allPoints(again)).toEqual(expected(300));
    // The agent resends what it did not see acknowledged: nothing is stored twice.
    for (let k = 290; k <= 300; k++) expect(again.storeBatch('gpu-01', 'main', k, batch(k), [], T0)).toBe('duplicate');
    expect(again.duplicateRowCount()).toBe(0);
    again.close();
  });

  it('loses nothing and duplicates nothing when it dies between flushes, then after a full flush', () => {
    const dir = freshDir();
    let now = T0;
    let store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    for (let k = 1; k <= 400; k++) {
      store.storeBatch('gpu-01', 'main', k, batch(k), [], T0);
      if (k % 50 === 0) {
        now = T0 + k * 500;
        store.flush();
      }
    }
    // Some windows are in chunks now, the open one only in the head and the intake.
    expect(store.headSize).toBeGreaterThan(0);
    crash(store);
    store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(allPoints(store)).toEqual(expected(400));
    expect(store.duplicateRowCount()).toBe(0);
    for (let k = 401; k <= 500; k++) store.storeBatch('gpu-01', 'main', k, batch(k), [], T0);
    now = T0 + 3_600_000;
    store.flush();
    expect(store.headSize).toBe(0);
    crash(store);
    store = new ChunkedStore(openDatabase(dir).db, { clock: () => now });
    expect(allPoints(store)).toEqual(expected(500));
    expect(store.sampleCount()).toBe(2000);
    expect(store.duplicateRowCount()).toBe(0);
    const intake = store.database.prepare('select count(*) from intake').pluck().get();
    expect(intake, 'every flushed point left the intake').toBe(0);
    store.close();
  });

  it('keeps a batch that failed to commit out of storage and accepts it when resent', () => {
    const dir = freshDir();
    const store = new ChunkedStore(openDatabase(dir).db);
    store.storeBatch('gpu-01', 'main', 1, batch(1), [], T0);
    const bad = batch(2);
    // A label value SQLite cannot bind makes the transaction throw mid-way.
    const poisoned = [...bad, { name: 'x', labels: { a: 'b' }, ts: Float64Array.of(1), values: Float64Array.of(1) }];
    const series = store.database.prepare('select count(*) from series').pluck();
    const before = series.get();
    store.database.exec("create trigger refuse_x before insert on series when new.name = 'x' begin select raise(abort, 'refused'); end");
    expect(() => store.storeBatch('gpu-01', 'main', 2, poisoned, [], T0)).toThrow();
    expect(series.get()).toBe(before);
    expect(store.lastSeq('gpu-01', 'main')).toBe(1);
    expect(store.storeBatch('gpu-01', 'main', 2, bad, [], T0)).toBe('stored');
    expect(allPoints(store)).toEqual(expected(2));
    store.close();
  });
});
