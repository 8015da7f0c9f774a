/**
 * value → count for the exact mode of the quantile sketch: an open-addressing hash table keyed by
 * the value's 64 bits, so that merging thousands of sketch rows into one accumulator allocates
 * nothing per value (a Map of doubles boxes each key). Holds finite values only, with -0 stored
 * as 0 by the caller.
 *
 *   keys    [ 0.37 |  -  | 0.12 | 0.5 |  -  | … ]   capacity a power of two, at most half full
 *   counts  [  12  |  0  |  3   | 40  |  0  | … ]   count 0 = empty slot (weights are ≥ 1)
 */

const bits = new Float64Array(1);
const halves = new Uint32Array(bits.buffer);

export class ExactCounts {
  // 64 slots: most buckets (whole degrees, flags, a minute of utilization) never grow.
  private keys = new Float64Array(64);
  private counts = new Float64Array(64);
  private mask = 63;
  /** Distinct values held. */
  size = 0;

  /** Adds `weight` (> 0) to the count of `v`; returns true when `v` was not held before. */
  add(v: number, weight: number): boolean {
    bits[0] = v;
    let i = (Math.imul((halves[0] as number) ^ Math.imul(halves[1] as number, 0x9e3779b1), 0x85ebca6b) >>> 16) & this.mask;
    const keys = this.keys;
    const counts = this.counts;
    for (;;) {
      const c = counts[i] as number;
      if (c === 0) break;
      if (keys[i] === v) {
        counts[i] = c + weight;
        return false;
      }
      i = (i + 1) & this.mask;
    }
    keys[i] = v;
    counts[i] = weight;
    if (++this.size * 2 > this.mask) this.grow();
    return true;
  }

  /** Calls `f` once per held value, in no particular order. */
  forEach(f: (v: number, count: number) => void): void {
    const keys = this.keys;
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) if ((counts[i] as number) > 0) f(keys[i] as number, counts[i] as number);
  }

  /** The held values ascending and their counts (fresh arrays). */
  sorted(): { keys: Float64Array; counts: Float64Array } {
    const keys = new Float64Array(this.size);
    let n = 0;
    this.forEach((v) => {
      keys[n++] = v;
    });
    keys.sort();
    const counts = new Float64Array(n);
    for (let i = 0; i < n; i++) counts[i] = this.countOf(keys[i] as number);
    return { keys, counts };
  }

  private countOf(v: number): number {
    bits[0] = v;
    let i = (Math.imul((halves[0] as number) ^ Math.imul(halves[1] as number, 0x9e3779b1), 0x85ebca6b) >>> 16) & this.mask;
    for (;;) {
      const c = this.counts[i] as number;
      if (c === 0) return 0;
      if (this.keys[i] === v) return c;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const keys = this.keys;
    const counts = this.counts;
    this.keys = new Float64Array(keys.length * 2);
    this.counts = new Float64Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if ((counts[i] as number) > 0) this.add(keys[i] as number, counts[i] as number);
  }
}
