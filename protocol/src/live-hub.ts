/**
 * Fan-out of live frames to open pages: each frame is serialized and encoded once, as one
 * Server-Sent Events message, and the same bytes are handed to every subscriber. A subscriber whose writer reports
 * back-pressure for too many frames in a row is dropped rather than buffered without bound.
 */
import type { LiveFrame } from './live.ts';

/** Writes one SSE message (UTF-8 bytes, shared by every subscriber: never modify); false when the client is not keeping up. */
export type LiveWriter = (bytes: Uint8Array) => boolean;

const encoder = new TextEncoder();

const MAX_BEHIND = 64;

export class LiveHub {
  private readonly subscribers = new Map<LiveWriter, number>();
  private frames = 0;

  /** Adds a page; returns the function that removes it. */
  subscribe(write: LiveWriter): () => void {
    this.subscribers.set(write, 0);
    return () => this.subscribers.delete(write);
  }

  get size(): number {
    return this.subscribers.size;
  }

  get published(): number {
    return this.frames;
  }

  /** Serializes `frame` once and writes it to every subscriber. */
  publish(frame: LiveFrame): void {
    if (this.subscribers.size === 0) return;
    this.frames++;
    const bytes = encoder.encode(`event: tick\ndata: ${JSON.stringify(frame)}\n\n`);
    for (const [write, behind] of this.subscribers) {
      const ok = write(bytes);
      const next = ok ? 0 : behind + 1;
      if (next > MAX_BEHIND) this.subscribers.delete(write);
      else this.subscribers.set(write, next);
    }
  }
}
