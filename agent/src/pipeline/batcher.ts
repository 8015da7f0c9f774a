/**
 * Collects samples and events between ticks and seals them into one batch frame per tick
 * (or sooner, when a frame would outgrow TARGET_FRAME_BYTES), then hands the encoded bytes to the
 * buffer. It never blocks the sampler: append() is fire-and-forget and counts its own failures.
 */
import { BatchBuilder } from '@sigmascope/protocol/batch';
import { encodeFrame } from '@sigmascope/protocol/codec';
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { Series } from '@sigmascope/protocol/series';
import type { FrameBuffer } from '../buffer/frame-buffer.ts';
import type { SampleSink } from './sample-sink.ts';

/** Roughly 12 bytes a sample plus dictionary: seal before a frame can pass the target size. */
const MAX_SAMPLES_PER_FRAME = 4_096;

export interface BatcherStats {
  readonly framesSealed: number;
  /** Samples refused before batching because their value was not finite. */
  readonly nonFiniteSamples: number;
}

export class Batcher implements SampleSink {
  private readonly buffer: FrameBuffer;
  private readonly clock: () => number;
  private readonly onSealed: (seq: number) => void;
  private builder = new BatchBuilder();
  private framesSealed = 0;
  private nonFinite = 0;
  private pending: Promise<void> = Promise.resolve();

  /**
   * @param onSealed called after a sealed frame is durable in the buffer (the uplink sends it).
   */
  constructor(buffer: FrameBuffer, onSealed: (seq: number) => void, clock: () => number = Date.now) {
    this.buffer = buffer;
    this.onSealed = onSealed;
    this.clock = clock;
  }

  add(series: Series, ts: number, value: number): void {
    if (!this.builder.add(series, ts, value)) {
      this.nonFinite++;
      return;
    }
    if (this.builder.sampleCount >= MAX_SAMPLES_PER_FRAME) this.seal();
  }

  event(event: AgentEvent): void {
    this.builder.addEvent(event);
  }

  /** Seals what was collected into a frame (no-op when empty). Called by the sampler after each tick. */
  seal(): void {
    if (this.builder.isEmpty) return;
    const samples = this.builder.sampleCount;
    const seq = this.buffer.nextSeq();
    const bytes = encodeFrame(this.builder.seal(seq, this.clock()));
    this.framesSealed++;
    // Appends are chained so frames become durable in seq order.
    this.pending = this.pending.then(() => this.buffer.append(seq, bytes, samples)).then(() => this.onSealed(seq));
  }

  /** Resolves when every sealed frame is durable. */
  flushed(): Promise<void> {
    return this.pending;
  }

  stats(): BatcherStats {
    return { framesSealed: this.framesSealed, nonFiniteSamples: this.nonFinite };
  }
}
