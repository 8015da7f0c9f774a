/**
 * The agent's durable buffer of sealed frames, keyed by sequence number. Everything sampled stays
 * here until the collector acknowledges it. Two implementations: LMDB (the product) and memory
 * (tests of code that only needs the port).
 *
 *   seq:  [ 41 ][ 42 ][ 43 ][ 44 ][ 45 ]        oldest … newest
 *          ╰ in flight ╯  ╰ waiting  ╯
 *   ack(42)      → 41, 42 removed and counted as acked, in one transaction
 *   over the cap → the oldest frames NOT in flight are dropped, one by one until the new one
 *                  fits, and counted (never blocks sampling)
 */

/** Why samples left the buffer without being acknowledged. */
export const DropReason = {
  /** The byte cap was reached; the oldest waiting frame made room. */
  cap: 'buffer_full',
  /** A record could not be read back (checksum or header); quarantined. */
  corrupt: 'corrupt',
  /** The collector refused the frame permanently (error frame with its seq). */
  rejected: 'rejected',
  /** A write to the buffer failed (disk full, I/O error): the frame never became durable. */
  writeFailed: 'write_failed',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

/** Counters persisted with the frames, so they survive restarts and kill -9 exactly. */
export interface BufferCounters {
  /** Samples sealed into frames since the buffer was created. */
  produced: number;
  /** Samples in frames the collector acknowledged. */
  acked: number;
  /** Samples dropped, by reason. */
  dropped: Record<DropReason, number>;
  /** Sequence number of the next frame. */
  nextSeq: number;
  /** Frames quarantined because they could not be read back. */
  quarantinedFrames: number;
}

export interface BufferStats {
  readonly frames: number;
  readonly bytes: number;
  /** File space the frames take (LMDB pages; = bytes in memory): what `capBytes` bounds. */
  readonly diskBytes: number;
  readonly capBytes: number;
  readonly samples: number;
  readonly oldestSeq: number | null;
  readonly newestSeq: number | null;
  readonly counters: Readonly<BufferCounters>;
  /** Set while writes fail (e.g. disk full); cleared by the next successful write. */
  readonly writeError: string | null;
}

export interface BufferedFrame {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly samples: number;
}

export interface FrameBuffer {
  /**
   * The stream these sequence numbers count in (the hello's `stream`). Created with the buffer
   * and kept with its frames: a buffer started afresh (a new data dir, a file set aside as
   * unreadable) is a new stream, so no collector can mistake its seqs for ones it already holds.
   */
  stream(): string;
  /**
   * Starts a new stream for the frames already here and those to come (persisted), when the
   * collector holds seqs of the current stream this buffer never numbered (a data dir restored
   * from a backup, or copied to a second host). Returns the new id.
   */
  renewStream(): Promise<string>;
  /** Allocates the next sequence number (monotonic, persisted). */
  nextSeq(): number;
  /**
   * Stores a sealed frame with its sample count and counts the samples as produced, dropping
   * the oldest waiting frames first if the cap would be exceeded. Resolves once durable.
   * Never rejects: a failed write is counted (DropReason.writeFailed) and shown in stats().
   */
  append(seq: number, bytes: Uint8Array, samples: number): Promise<void>;
  /** Frames with seq > afterSeq, oldest first, at most `limit`. */
  readFrom(afterSeq: number, limit: number): BufferedFrame[];
  /** Removes every frame with seq ≤ `seq` and counts its samples as acked, in one transaction. */
  ack(seq: number): Promise<void>;
  /** Removes one frame the collector refused for good, counting it as dropped (rejected). */
  reject(seq: number): Promise<void>;
  /** Frames with seq ≤ this are in flight and are never dropped for room. */
  setInFlightThrough(seq: number): void;
  stats(): BufferStats;
  close(): Promise<void>;
}

/** A fresh counters object. */
export function emptyCounters(): BufferCounters {
  return { produced: 0, acked: 0, dropped: { buffer_full: 0, corrupt: 0, rejected: 0, write_failed: 0 }, nextSeq: 1, quarantinedFrames: 0 };
}
