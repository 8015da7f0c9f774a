import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open as openLmdb } from 'lmdb';
import { silentLogger } from '@sigmascope/protocol/log';
import { openLmdbBuffer } from './lmdb-buffer.ts';
import type { LmdbBuffer } from './lmdb-buffer.ts';

const open: LmdbBuffer[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close().catch(() => {});
});

function buffer(dir: string, capBytes = 1024 * 1024): LmdbBuffer {
  const b = openLmdbBuffer({ dir, capBytes, log: silentLogger });
  open.push(b);
  return b;
}
const frame = (seq: number, size = 100): Uint8Array => new Uint8Array(size).fill(seq % 251);
const balance = (b: LmdbBuffer): number => {
  const s = b.stats();
  const dropped = Object.values(s.counters.dropped).reduce((x, y) => x + y, 0);
  return s.counters.produced - s.counters.acked - dropped - s.samples;
};

describe('LMDB buffer', () => {
  it('keeps frames and counters across a reopen, and acks remove and count in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buf-'));
    const a = buffer(dir);
    for (let i = 0; i < 10; i++) await a.append(a.nextSeq(), frame(i + 1), 7);
    await a.ack(4);
    expect(a.stats()).toMatchObject({ frames: 6, samples: 42, oldestSeq: 5, newestSeq: 10 });
    await a.close();
    open.pop();
    const b = buffer(dir);
    expect(b.stats()).toMatchObject({ frames: 6, samples: 42, oldestSeq: 5 });
    expect(b.stats().counters).toMatchObject({ produced: 70, acked: 28, nextSeq: 11 });
    expect(b.readFrom(6, 2).map((f) => [f.seq, f.bytes[0]])).toEqual([[7, 7], [8, 8]]);
    expect(balance(b)).toBe(0);
  });

  it('stays under its cap by dropping the oldest waiting frames and counts exactly what it dropped', async () => {
    const b = buffer(mkdtempSync(join(tmpdir(), 'buf-')), 10_000);
    for (let i = 0; i < 500; i++) await b.append(b.nextSeq(), frame(i, 100 + (i % 7)), 3 + (i % 5));
    const s = b.stats();
    expect(s.bytes).toBeLessThanOrEqual(10_000);
    const dropped = s.counters.dropped.buffer_full;
    expect(dropped).toBeGreaterThan(0);
    expect(s.counters.produced).toBe(s.samples + dropped);
    expect(s.newestSeq).toBe(500);
  });

  it('at the cap, drops only the oldest frames the new one needs room for', async () => {
    const cap = 64 * 1024;
    const b = buffer(mkdtempSync(join(tmpdir(), 'buf-')), cap);
    const oldest: number[] = [];
    for (let i = 0; i < 200; i++) {
      await b.append(b.nextSeq(), frame(i, 1800), 2);
      oldest.push(b.stats().oldestSeq as number);
      expect(b.stats().diskBytes).toBeLessThanOrEqual(cap);
    }
    const full = oldest.findIndex((seq) => seq > 1);
    expect(full).toBeGreaterThan(20);
    // One frame in, one frame out: the oldest seq moves by one per append, and the buffer stays full.
    for (let i = full + 1; i < oldest.length; i++) expect((oldest[i] as number) - (oldest[i - 1] as number)).toBe(1);
    expect(b.stats().frames).toBe(full);
    // A frame of two overflow pages (8 KiB on disk) needs the room of four or five of the 2 KiB ones, and gets no more:
    // less than one of them is left unused.
    await b.append(b.nextSeq(), frame(0, 5_000), 2);
    expect((b.stats().oldestSeq as number) - (oldest.at(-1) as number)).toBeGreaterThanOrEqual(4);
    expect((b.stats().oldestSeq as number) - (oldest.at(-1) as number)).toBeLessThanOrEqual(5);
    expect(cap - b.stats().diskBytes).toBeLessThan(2 * 1024 + 256);
    expect(balance(b)).toBe(0);
  });

  it('never drops a frame in flight to make room', async () => {
    const b = buffer(mkdtempSync(join(tmpdir(), 'buf-')), 1_000);
    for (let i = 0; i < 5; i++) await b.append(b.nextSeq(), frame(i), 1);
    b.setInFlightThrough(2);
    for (let i = 0; i < 20; i++) await b.append(b.nextSeq(), frame(i), 1);
    const seqs = b.readFrom(0, 100).map((f) => f.seq);
    expect(seqs.slice(0, 2)).toEqual([1, 2]);
    expect(balance(b)).toBe(0);
  });

  it('quarantines a record with flipped bytes, counts its samples, and serves the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buf-'));
    const a = buffer(dir);
    for (let i = 0; i < 20; i++) await a.append(a.nextSeq(), new TextEncoder().encode(`frame-${String(i).padStart(4, '0')}-payload`), 5);
    await a.close();
    open.pop();
    // Flip one byte of one stored frame payload in place.
    const file = join(dir, 'buffer.mdb');
    const bytes = readFileSync(file);
    // LMDB is copy-on-write: stale copies of a page may remain; flip the byte in every copy.
    let at = bytes.indexOf('frame-0007-payload');
    expect(at).toBeGreaterThan(0);
    for (; at >= 0; at = bytes.indexOf('frame-0007-payload', at + 1)) bytes[at + 3] = (bytes[at + 3] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const b = buffer(dir);
    const s = b.stats();
    expect(s.frames).toBe(19);
    expect(s.counters.dropped.corrupt).toBe(5);
    expect(s.counters.quarantinedFrames).toBe(1);
    expect(balance(b)).toBe(0);
  });

  it('moves an unreadable buffer file aside and starts empty instead of crash-looping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buf-'));
    const a = buffer(dir);
    for (let i = 0; i < 50; i++) await a.append(a.nextSeq(), frame(i, 2000), 5);
    await a.close();
    open.pop();
    const file = join(dir, 'buffer.mdb');
    truncateSync(file, Math.floor(statSync(file).size / 3));
    writeFileSync(file, Buffer.concat([readFileSync(file).subarray(0, 4096), Buffer.alloc(4096, 0xab)]));
    const started = Date.now();
    const b = buffer(dir);
    expect(Date.now() - started).toBeLessThan(5_000);
    await b.append(b.nextSeq(), frame(1), 1);
    expect(b.stats().frames).toBeGreaterThanOrEqual(1);
    expect(b.stats().counters.quarantinedFrames).toBeGreaterThanOrEqual(1);
    expect(readdirSync(dir).some((f) => f.startsWith('buffer.mdb.corrupt-'))).toBe(true);
  });

  it('keeps its stream with its frames: the same across a reopen, a new one when the file is set aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buf-'));
    const a = buffer(dir);
    const stream = a.stream();
    expect(stream).toMatch(/^[A-Za-z0-9_-]{16}$/);
    for (let i = 0; i < 5; i++) await a.append(a.nextSeq(), frame(i), 1);
    await a.close();
    open.pop();
    const b = buffer(dir);
    expect(b.stream()).toBe(stream);
    await b.close();
    open.pop();
    writeFileSync(join(dir, 'buffer.mdb'), Buffer.alloc(8192, 0x5a));
    const c = buffer(dir);
    expect(c.stream()).not.toBe(stream);
    expect(c.stats().counters.nextSeq).toBe(1);
  });

  it('adopts the stream an older agent kept outside the buffer for a file with data, never for a new file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buf-'));
    const fresh = openLmdbBuffer({ dir, capBytes: 1 << 20, log: silentLogger, legacyStream: 'legacy-stream' });
    open.push(fresh);
    expect(fresh.stream()).not.toBe('legacy-stream');
    for (let i = 0; i < 3; i++) await fresh.append(fresh.nextSeq(), frame(i), 1);
    await fresh.close();
    open.pop();
    // As an older agent left it: frames and counters, no stream of its own.
    const env = openLmdb({ path: join(dir, 'buffer.mdb'), noSubdir: true, maxDbs: 4 });
    await env.openDB({ name: 'meta', encoding: 'json' }).remove('stream');
    await env.close();
    const upgraded = openLmdbBuffer({ dir, capBytes: 1 << 20, log: silentLogger, legacyStream: 'legacy-stream' });
    open.push(upgraded);
    expect(upgraded.stream()).toBe('legacy-stream');
    expect(upgraded.stats().frames).toBe(3);
  });
});
