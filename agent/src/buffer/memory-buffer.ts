/**
 * FrameBuffer in memory: the same contract as the LMDB buffer without durability. For tests of
 * the uplink and batcher, and for anything that only needs the port.
 */
import { newStreamId } from '../identity.ts';
import { DropReason, emptyCounters } from './frame-buffer.ts';
import type { BufferCounters, BufferStats, BufferedFrame, FrameBuffer } from './frame-buffer.ts';

export class MemoryFrameBuffer implements FrameBuffer {
  private readonly frames = new Map<number, BufferedFrame>();
  private readonly counters: BufferCounters = emptyCounters();
  private readonly capBytes: number;
  private inFlightThrough = 0;
  private streamId: string;

  /** `stream` names the stream the frames count in (a new one when absent). */
  constructor(capBytes = 256 * 1024 * 1024, stream: string = newStreamId()) {
    this.capBytes = capBytes;
    this.streamId = stream;
  }

  stream(): string {
    return this.streamId;
  }

  async renewStream(): Promise<string> {
    this.streamId = newStreamId();
    return this.streamId;
  }

  nextSeq(): number {
    return this.counters.nextSeq++;
  }

  async append(seq: number, bytes: Uint8Array, samples: number): Promise<void> {
    this.counters.produced += samples;
    for (const f of [...this.frames.values()].sort((a, b) => a.seq - b.seq)) {
      if (this.bytes() + bytes.byteLength <= this.capBytes) break;
      if (f.seq <= this.inFlightThrough) continue;
      this.frames.delete(f.seq);
      this.counters.dropped[DropReason.cap] += f.samples;
    }
    this.frames.set(seq, { seq, bytes, samples });
  }

  readFrom(afterSeq: number, limit: number): BufferedFrame[] {
    return [...this.frames.values()].filter((f) => f.seq > afterSeq).sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  async ack(seq: number): Promise<void> {
    for (const f of [...this.frames.values()]) {
      if (f.seq > seq) continue;
      this.frames.delete(f.seq);
      this.counters.acked += f.samples;
    }
  }

  async reject(seq: number): Promise<void> {
    const f = this.frames.get(seq);
    if (f === undefined) return;
    this.frames.delete(seq);
    this.counters.dropped[DropReason.rejected] += f.samples;
  }

  setInFlightThrough(seq: number): void {
    this.inFlightThrough = seq;
  }

  private bytes(): number {
    let b = 0;
    for (const f of this.frames.values()) b += f.bytes.byteLength;
    return b;
  }

  stats(): BufferStats {
    const seqs = [...this.frames.keys()].sort((a, b) => a - b);
    let samples = 0;
    for (const f of this.frames.values()) samples += f.samples;
    return {
      frames: this.frames.size, bytes: this.bytes(), diskBytes: this.bytes(), capBytes: this.capBytes, samples,
      oldestSeq: seqs[0] ?? null, newestSeq: seqs[seqs.length - 1] ?? null, counters: structuredClone(this.counters), writeError: null,
    };
  }

  async close(): Promise<void> {}
}
