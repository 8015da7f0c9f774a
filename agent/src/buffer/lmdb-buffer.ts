/**
 * FrameBuffer on LMDB: the only file that imports lmdb. Each record is
 *
 *   key: seq (uint32)   value: [samples u32 LE][crc32 u32 LE][frame bytes …]
 *
 * The frame bytes are exactly what goes on the wire (lmdb's own msgpack is never used for them).
 * The stream id the seqs count in lives in `meta` too, created with the file: a new file is a new
 * stream, whatever happened to the old one. Counters live in the `meta` database and change in the same transaction as the frames they
 * count, so produced = acked + dropped + buffered holds across crashes. Records that fail the
 * checksum are moved to `quarantine` (last 16 kept) and counted; start-up never crash-loops.
 */
import { mkdirSync, renameSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import type { Logger } from '@sigmascope/protocol/log';
import { isStreamId, newStreamId } from '../identity.ts';
import { crc32 } from './crc32.ts';
import { LeafPacking } from './lmdb-footprint.ts';
import { DropReason, emptyCounters } from './frame-buffer.ts';
import { verifyLmdbInChild } from './verify-in-child.ts';
import type { BufferCounters, BufferStats, BufferedFrame, FrameBuffer } from './frame-buffer.ts';

const HEADER = 8;
const QUARANTINE_KEEP = 16;

interface Entry {
  readonly seq: number;
  readonly size: number;
  /** Bytes the record takes in the file (lmdb-footprint.ts): what the cap counts. */
  readonly disk: number;
  readonly samples: number;
  /** False until its write transaction committed: never read or sent before that. */
  durable: boolean;
}

export interface LmdbBufferOptions {
  /** Folder of the buffer (created if absent). */
  readonly dir: string;
  /** Cap on the file space the frames take (pages, as LMDB lays them out); the oldest waiting frames are dropped beyond it. */
  readonly capBytes: number;
  readonly log: Logger;
  /**
   * The stream of a buffer written by an agent that kept its stream outside the buffer
   * (DATA/agent.json): adopted when the file has frames or counters but no stream of its own.
   */
  readonly legacyStream?: string | null;
}

/**
 * Opens (or creates) the buffer. A file that cannot be read whole (checked in a child process
 * first) is moved aside as buffer.mdb.corrupt-<time> and counted; start-up goes on with an empty
 * buffer. Never fatal, never a crash loop.
 */
export function openLmdbBuffer(options: LmdbBufferOptions): LmdbBuffer {
  mkdirSync(options.dir, { recursive: true });
  const file = join(options.dir, 'buffer.mdb');
  const moveAside = (why: unknown): void => {
    const aside = `${file}.corrupt-${Date.now()}`;
    options.log.error('buffer unreadable; moved aside, starting empty', { file, aside, error: why });
    renameSync(file, aside);
    rmSync(`${file}-lock`, { force: true });
  };
  let movedAside = false;
  if (existsSync(file)) {
    const check = verifyLmdbInChild(file);
    if (!check.ok) {
      moveAside(check.reason);
      movedAside = true;
    }
  }
  let buffer: LmdbBuffer;
  try {
    buffer = new LmdbBuffer(options);
  } catch (err) {
    moveAside(err);
    movedAside = true;
    buffer = new LmdbBuffer(options);
  }
  if (movedAside) buffer.noteQuarantinedStore();
  return buffer;
}

export class LmdbBuffer implements FrameBuffer {
  private readonly env: RootDatabase;
  private readonly frames: Database<Uint8Array, number>;
  private readonly meta: Database<BufferCounters | string, string>;
  private readonly quarantine: Database<Uint8Array, number>;
  private readonly log: Logger;
  private readonly capBytes: number;
  private readonly entries: Entry[] = [];
  private head = 0; // entries[head..] are live; compacted now and then
  private bytes = 0;
  private diskBytes = 0;
  private readonly packing: LeafPacking;
  private samples = 0;
  private inFlightThrough = 0;
  private counters: BufferCounters;
  private streamId: string;
  private writeError: string | null = null;

  constructor(options: LmdbBufferOptions) {
    this.log = options.log;
    this.capBytes = options.capBytes;
    this.env = open({ path: join(options.dir, 'buffer.mdb'), noSubdir: true, maxDbs: 4, compression: false, mapSize: Math.max(64 * 2 ** 20, options.capBytes * 4) });
    this.frames = this.env.openDB<Uint8Array, number>({ name: 'frames', encoding: 'binary', keyEncoding: 'uint32' });
    this.meta = this.env.openDB<BufferCounters | string, string>({ name: 'meta', encoding: 'json' });
    this.quarantine = this.env.openDB<Uint8Array, number>({ name: 'quarantine', encoding: 'binary', keyEncoding: 'uint32' });
    // lmdb types getStats() as {}; it returns mdb_env_stat's fields, pageSize among them.
    this.packing = new LeafPacking((this.env.getStats() as { pageSize: number }).pageSize);
    const stored = this.meta.get('counters');
    this.counters = { ...emptyCounters(), ...(typeof stored === 'object' ? stored : {}) };
    this.counters.dropped = { ...emptyCounters().dropped, ...this.counters.dropped };
    this.loadIndex();
    this.streamId = this.loadStream(stored !== undefined || this.entries.length > 0 ? options.legacyStream ?? null : null);
  }

  /** The file's stream id; a file without one gets `legacy` (an older agent's data) or a new id. */
  private loadStream(legacy: string | null): string {
    const stream = this.meta.get('stream');
    if (isStreamId(stream)) return stream;
    const id = legacy ?? newStreamId();
    this.meta.putSync('stream', id);
    return id;
  }

  stream(): string {
    return this.streamId;
  }

  async renewStream(): Promise<string> {
    const id = newStreamId();
    await this.meta.put('stream', id);
    this.streamId = id;
    this.log.warn('buffer starts a new stream', { stream: id });
    return id;
  }

  /** Records that a whole unreadable store was moved aside at start-up. */
  noteQuarantinedStore(): void {
    this.counters.quarantinedFrames++;
    this.meta.putSync('counters', this.counters);
  }


  private loadIndex(): void {
    const bad: { seq: number; value: Uint8Array | null; samples: number }[] = [];
    for (const { key, value } of this.frames.getRange({})) {
      const seq = key as number;
      const check = checkRecord(value);
      if (check.ok) {
        const disk = this.packing.place(value.byteLength);
        this.entries.push({ seq, size: value.byteLength - HEADER, disk, samples: check.samples, durable: true });
        this.bytes += value.byteLength - HEADER;
        this.diskBytes += disk;
        this.samples += check.samples;
      } else {
        bad.push({ seq, value: value ?? null, samples: check.samples });
      }
    }
    if (bad.length > 0) {
      this.env.transactionSync(() => {
        for (const b of bad) this.quarantineRecord(b.seq, b.value, b.samples);
        this.meta.put('counters', this.counters);
      });
      this.log.warn('buffer records failed their checksum; quarantined', { frames: bad.length });
    }
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && last.seq >= this.counters.nextSeq) this.counters.nextSeq = last.seq + 1;
  }

  /** Inside a write transaction: moves one unreadable record aside and counts what it held. */
  private quarantineRecord(seq: number, value: Uint8Array | null, samples: number): void {
    this.frames.remove(seq);
    if (value !== null) this.quarantine.put(seq, value);
    const keys = [...this.quarantine.getKeys({})] as number[];
    for (const k of keys.slice(0, Math.max(0, keys.length - QUARANTINE_KEEP))) this.quarantine.remove(k);
    this.counters.dropped.corrupt += samples;
    this.counters.quarantinedFrames++;
  }

  nextSeq(): number {
    return this.counters.nextSeq++;
  }

  async append(seq: number, bytes: Uint8Array, samples: number): Promise<void> {
    const record = new Uint8Array(HEADER + bytes.byteLength);
    const view = new DataView(record.buffer);
    view.setUint32(0, samples, true);
    view.setUint32(4, crc32(bytes), true);
    record.set(bytes, HEADER);
    this.counters.produced += samples;
    const packed = this.packing.mark();
    const disk = this.packing.place(record.byteLength);
    const evicted = this.makeRoom(disk);
    const entry: Entry = { seq, size: bytes.byteLength, disk, samples, durable: false };
    this.entries.push(entry);
    this.bytes += bytes.byteLength;
    this.diskBytes += disk;
    this.samples += samples;
    const snapshot = structuredClone(this.counters);
    try {
      await this.env.transaction(() => {
        for (const e of evicted) this.frames.remove(e.seq);
        // In key order (seqs only grow): leaf pages fill up instead of being split in half.
        this.frames.putSync(seq, record, { append: true });
        this.meta.put('counters', snapshot);
      });
      entry.durable = true;
      this.writeError = null;
    } catch (err) {
      // The frame never became durable: take it out and count it, so the oracle still balances.
      this.writeError = err instanceof Error ? err.message : String(err);
      this.packing.restore(packed);
      this.removeEntries((e) => e.seq === seq);
      this.counters.dropped.write_failed += samples;
      this.log.error('buffer write failed', { seq, error: err });
    }
  }

  /** Drops the oldest frames not in flight, one by one, until `incoming` more bytes of file fit under the cap. */
  private makeRoom(incoming: number): Entry[] {
    const evicted: Entry[] = [];
    let kept = this.diskBytes;
    for (let i = this.head; kept + incoming > this.capBytes && i < this.entries.length; i++) {
      const e = this.entries[i] as Entry;
      if (e.seq <= this.inFlightThrough) continue;
      evicted.push(e);
      kept -= e.disk;
    }
    if (evicted.length > 0) {
      const gone = new Set(evicted.map((e) => e.seq));
      this.removeEntries((e) => gone.has(e.seq));
      for (const e of evicted) this.counters.dropped.buffer_full += e.samples;
    }
    return evicted;
  }

  private removeEntries(pred: (e: Entry) => boolean): void {
    const kept: Entry[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i] as Entry;
      if (pred(e)) {
        this.bytes -= e.size;
        this.diskBytes -= e.disk;
        this.samples -= e.samples;
      } else kept.push(e);
    }
    this.entries.length = 0;
    this.entries.push(...kept);
    this.head = 0;
  }

  readFrom(afterSeq: number, limit: number): BufferedFrame[] {
    const out: BufferedFrame[] = [];
    const bad: { seq: number; value: Uint8Array | null; samples: number }[] = [];
    for (let i = this.head; i < this.entries.length && out.length < limit; i++) {
      const e = this.entries[i] as Entry;
      if (e.seq <= afterSeq) continue;
      // Frames become durable in seq order: stop at the first one still being written.
      if (!e.durable) break;
      const value = this.frames.getBinary(e.seq) as Uint8Array | undefined;
      const check = checkRecord(value);
      if (check.ok && value !== undefined) out.push({ seq: e.seq, bytes: value.subarray(HEADER), samples: check.samples });
      else bad.push({ seq: e.seq, value: value ?? null, samples: e.samples });
    }
    if (bad.length > 0) {
      const gone = new Set(bad.map((b) => b.seq));
      this.removeEntries((e) => gone.has(e.seq));
      this.env.transactionSync(() => {
        for (const b of bad) this.quarantineRecord(b.seq, b.value, b.samples);
        this.meta.put('counters', this.counters);
      });
      this.log.warn('buffer records failed their checksum on read; quarantined', { frames: bad.length });
    }
    return out;
  }

  async ack(seq: number): Promise<void> {
    const acked: Entry[] = [];
    while (this.head < this.entries.length && (this.entries[this.head] as Entry).seq <= seq) {
      const e = this.entries[this.head++] as Entry;
      acked.push(e);
      this.bytes -= e.size;
      this.diskBytes -= e.disk;
      this.samples -= e.samples;
      this.counters.acked += e.samples;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    if (acked.length === 0) return;
    const snapshot = structuredClone(this.counters);
    await this.env.transaction(() => {
      for (const e of acked) this.frames.remove(e.seq);
      this.meta.put('counters', snapshot);
    });
  }

  async reject(seq: number): Promise<void> {
    let samples = 0;
    this.removeEntries((e) => (e.seq === seq ? ((samples = e.samples), true) : false));
    this.counters.dropped.rejected += samples;
    const snapshot = structuredClone(this.counters);
    await this.env.transaction(() => {
      this.frames.remove(seq);
      this.meta.put('counters', snapshot);
    });
  }

  setInFlightThrough(seq: number): void {
    this.inFlightThrough = seq;
  }

  stats(): BufferStats {
    const first = this.entries[this.head];
    const last = this.entries[this.entries.length - 1];
    const live = this.entries.length - this.head;
    return {
      frames: live,
      bytes: this.bytes,
      diskBytes: this.diskBytes,
      capBytes: this.capBytes,
      samples: this.samples,
      oldestSeq: live > 0 && first !== undefined ? first.seq : null,
      newestSeq: live > 0 && last !== undefined ? last.seq : null,
      counters: structuredClone(this.counters),
      writeError: this.writeError,
    };
  }

  async close(): Promise<void> {
    await this.env.flushed;
    await this.env.close();
  }
}

function checkRecord(value: Uint8Array | undefined | null): { ok: boolean; samples: number } {
  if (value === undefined || value === null || value.byteLength < HEADER) return { ok: false, samples: 0 };
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const samples = view.getUint32(0, true);
  const ok = view.getUint32(4, true) === crc32(value.subarray(HEADER));
  // A record whose checksum fails may have a flipped count too: trust it only when plausible.
  return { ok, samples: ok || samples <= 65_536 ? samples : 0 };
}

