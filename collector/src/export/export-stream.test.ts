/**
 * The export stream on a real store file: every acknowledged sample reaches the exporter once,
 * in order, across retries, refusals, a flush that would have deleted the records, and a restart.
 */
import { describe, expect, it } from 'vitest';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { silentLogger } from '@sigmascope/protocol/log';
import { ChunkedStore } from '../store/chunked-store.ts';
import { ExportCursorRows } from '../store/rows/export-cursor-rows.ts';
import { openDatabase } from '../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../tests/support/scratch-dirs.ts';
import type { ExportBatch } from './export-batch.ts';
import { ExportSource } from './export-source.ts';
import { ExportStream } from './export-stream.ts';
import { MemoryExporter } from './memory-exporter.ts';

const freshDir = scratchDirs('export-stream-');
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const ENDPOINT = 'remote_write http://tsdb/api/v1/write';
const DAY = 86_400_000;

const batch = (ts: number, v: number): BatchSeries[] => [
  { name: 'system.cpu.utilization', labels: {}, ts: Float64Array.of(ts), values: Float64Array.of(v) },
  { name: 'hw.gpu.temperature', labels: { 'hw.id': '0' }, ts: Float64Array.of(ts), values: Float64Array.of(60 + v) },
];

/** A store, its cursors and a stream over a MemoryExporter, as main.ts wires them. */
function open(dir: string, now: () => number, exporter = new MemoryExporter(), maxSamplesPerSend = 10) {
  const { db } = openDatabase(dir);
  const cursors = new ExportCursorRows(db);
  const store = new ChunkedStore(db, { clock: now, intakeHold: () => cursors.hold([ENDPOINT]) });
  store.noteAgent({ id: 'gpu-01', name: 'gpu-01', hostname: 'host-a', version: '0.1.0', bootId: 'b', clockSkewMs: 0, seenAt: now() });
  const stream = new ExportStream({ endpoint: ENDPOINT, exporter, source: new ExportSource(store), cursors, maxSamplesPerSend, retentionMs: 7 * DAY, pollMs: 10, backoff: { minMs: 1, maxMs: 2 }, log: silentLogger, clock: now });
  return { store, cursors, stream, exporter, db };
}

/** Every exported sample as "name{labels}@ts=value agent host", in the order sent. */
function sent(batches: readonly ExportBatch[]): string[] {
  return batches.flatMap((b) => b.series.flatMap((s) => Array.from(s.ts, (t, i) => `${s.name}${JSON.stringify(s.labels)}@${t}=${s.values[i]} ${s.agent} ${s.host}`)));
}

const expected = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let k = from; k < to; k++) {
    out.push(`system.cpu.utilization{}@${T0 + k * 500}=${k / 100} gpu-01 host-a`, `hw.gpu.temperature{"hw.id":"0"}@${T0 + k * 500}=${60 + k / 100} gpu-01 host-a`);
  }
  return out;
};

describe('export stream', () => {
  it('hands every stored sample on once, with agent and host, across retries and a refusal', async () => {
    const now = T0 + 5_000;
    const w = open(freshDir(), () => now);
    for (let k = 0; k < 20; k++) w.store.storeBatch('gpu-01', 'main', k + 1, batch(T0 + k * 500, k / 100), [], now);
    w.exporter.answers.push({ status: 'retry', reason: 'HTTP 503' }, { status: 'retry', reason: 'HTTP 429', afterMs: 1 });
    expect(await w.stream.drain()).toBe(false);
    expect(await w.stream.drain()).toBe(false);
    expect(w.stream.state().retries).toBe(2);
    expect(await w.stream.drain()).toBe(true);
    const got = w.exporter.received.flatMap((b) => sent([b]));
    // Each batch holds whole records until about 10 samples: every point once, grouped per series within a batch.
    expect([...got].sort()).toEqual(expected(0, 20).sort());
    expect(new Set(got).size).toBe(got.length);
    expect(w.stream.state()).toMatchObject({ samplesSent: 40, samplesDropped: 0, cursor: w.store.intakeTail(), lagSeconds: 0, lastError: null });

    for (let k = 20; k < 25; k++) w.store.storeBatch('gpu-01', 'main', k + 1, batch(T0 + k * 500, k / 100), [], now);
    w.exporter.answers.push({ status: 'drop', reason: 'HTTP 400: out of bounds' });
    expect(await w.stream.drain()).toBe(true);
    expect(w.stream.state()).toMatchObject({ samplesSent: 40, samplesDropped: 10, droppedByReason: { refused: 10 } });
    w.store.close();
  });

  it('keeps the records a cursor has not passed through a flush and a kill, then resumes without a gap or a repeat', async () => {
    const dir = freshDir();
    let now = T0 + 5_000;
    const first = open(dir, () => now);
    for (let k = 0; k < 10; k++) first.store.storeBatch('gpu-01', 'main', k + 1, batch(T0 + k * 500, k / 100), [], now);
    // The endpoint is down; the minute closes and the flush writes every point to chunks.
    first.exporter.answers.push({ status: 'retry', reason: 'ECONNREFUSED' });
    expect(await first.stream.drain()).toBe(false);
    now = T0 + 3_600_000;
    first.store.flush(true);
    expect(first.store.headSize).toBe(0);
    expect(first.db.prepare('select count(*) from intake').pluck().get(), 'the flush kept the unsent records').toBe(10);
    // kill -9: no shutdown, no flush.
    first.db.close();

    const again = open(dir, () => now);
    expect(again.store.sampleCount(), 'replay brought back no flushed point').toBe(20);
    expect(again.store.duplicateRowCount()).toBe(0);
    for (let k = 10; k < 15; k++) again.store.storeBatch('gpu-01', 'main', k + 1, batch(T0 + k * 500, k / 100), [], now);
    expect(await again.stream.drain()).toBe(true);
    expect([...sent(again.exporter.received)].sort()).toEqual(expected(0, 15).sort());
    expect(again.stream.state().samplesSent).toBe(30);
    // Sent and flushed: the next flush lets the records go, and new ids stay above the cursor.
    again.store.flush(true);
    expect(again.db.prepare('select count(*) from intake').pluck().get()).toBe(0);
    const cursor = again.stream.state().cursor;
    again.store.storeBatch('gpu-01', 'main', 16, batch(T0 + 15 * 500, 0.15), [], now);
    expect(again.store.intakeTail()).toBe(cursor + 1);
    expect(await again.stream.drain()).toBe(true);
    expect(again.stream.state().samplesSent).toBe(32);
    again.store.close();
  });

  it('does not send samples older than the retention, and counts them', async () => {
    let now = T0 + 5_000;
    const w = open(freshDir(), () => now);
    for (let k = 0; k < 4; k++) w.store.storeBatch('gpu-01', 'main', k + 1, batch(T0 + k * 500, k / 100), [], now);
    w.exporter.answers.push({ status: 'retry', reason: 'down' });
    expect(await w.stream.drain()).toBe(false);
    now = T0 + 8 * DAY;
    w.store.storeBatch('gpu-01', 'main', 5, batch(now - 1_000, 0.5), [], now);
    expect(await w.stream.drain()).toBe(true);
    expect(w.stream.state()).toMatchObject({ samplesSent: 2, samplesDropped: 8, droppedByReason: { expired: 8 } });
    w.store.close();
  });
});
