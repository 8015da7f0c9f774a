/**
 * Sample → screen latency: for each point drawn, the time from its sample timestamp to the
 * moment the page had rendered it. Keeps the most recent values in a ring and answers quantiles.
 * Pure; the live controller feeds it after each render.
 */

/** What the page exposes as `window.__sigmascopeLatency` for browser tests and curious users. */
export interface LatencyReport {
  /** Recent per-point latencies in ms, oldest first. */
  readonly values: readonly number[];
  /** Frames rendered since the page opened. */
  readonly frames: number;
  /** Latencies recorded since the page opened (the newest `values` are the last of them). */
  readonly total: number;
  /** Median and 99th percentile of `values` (nearest rank), null while empty. */
  readonly p50: number | null;
  readonly p99: number | null;
}

/** Nearest-rank quantile of numbers (0 < q ≤ 1); null for an empty list. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}

/** A bounded ring of latencies. */
export class LatencyRecorder {
  private readonly capacity: number;
  private readonly ring: number[] = [];
  private next = 0;
  private frameCount = 0;
  private recorded = 0;

  constructor(capacity = 2000) {
    this.capacity = capacity;
  }

  /** Records the latencies of one rendered frame: `renderedAt − ts` for each point timestamp. */
  record(renderedAt: number, timestamps: readonly number[]): void {
    this.frameCount++;
    for (const ts of timestamps) {
      const v = renderedAt - ts;
      this.recorded++;
      if (this.ring.length < this.capacity) this.ring.push(v);
      else this.ring[this.next] = v;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** The recent values in arrival order and their p50/p99. */
  report(): LatencyReport {
    const values = this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return { values, frames: this.frameCount, total: this.recorded, p50: quantile(values, 0.5), p99: quantile(values, 0.99) };
  }
}
