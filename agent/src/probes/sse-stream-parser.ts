/**
 * The part every SSE provider parser shares: bytes in through one SseParser, parsed items out to
 * the provider's own `items`, which counts content chunks and fills the tally.
 */
import { StreamTally } from './provider.ts';
import type { StreamParser } from './provider.ts';
import { SseParser } from './sse.ts';
import type { SseItem } from './sse.ts';

export abstract class SseStreamParser implements StreamParser {
  readonly tally = new StreamTally();
  private readonly sse = new SseParser();

  push(text: string): number {
    return this.items(this.sse.push(text));
  }

  end(): number {
    return this.items(this.sse.end());
  }

  /** Handles parsed SSE items; returns how many content chunks they held. */
  protected abstract items(items: SseItem[]): number;
}
