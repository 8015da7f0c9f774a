/**
 * The last W values of a series with their median and median absolute deviation (MAD), updated
 * per value in O(W) time without allocating: a ring buffer in arrival order beside the same
 * values kept sorted. Float32 storage: 8 bytes per slot, so 100,000 series of W = 48 fit in
 * under 40 MB; the values it keeps are rounded to float32 (7 significant digits).
 *
 *   ring    [x5 x6 x7 x2 x3 x4]   (head → oldest)      push: drop the oldest from `sorted`
 *   sorted  [x2 x7 x3 x5 x4 x6]   (ascending)                insert the new one in its place
 *
 * MAD without a second sort: the deviations |x − m| grow walking outwards from the median in the
 * sorted array, on each side, so the k-th smallest deviation is found by merging the two walks.
 */
export class RobustWindow {
  /** Capacity W. */
  readonly capacity: number;
  private readonly ring: Float32Array;
  private readonly sorted: Float32Array;
  private head = 0;
  private n = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 3) throw new RangeError(`a robust window needs at least 3 values, not ${capacity}`);
    this.capacity = capacity;
    // One allocation for both halves: at 100,000 series every object counts.
    const both = new Float32Array(2 * capacity);
    this.ring = both.subarray(0, capacity);
    this.sorted = both.subarray(capacity);
  }

  /** Values held (≤ capacity). */
  get size(): number {
    return this.n;
  }

  /** Forgets every value. */
  clear(): void {
    this.head = 0;
    this.n = 0;
  }

  /** Adds `x` (finite), dropping the oldest value when full. */
  push(x: number): void {
    const v = Math.fround(x);
    const s = this.sorted;
    if (this.n === this.capacity) {
      const old = this.ring[this.head] as number;
      let i = lowerBound(s, this.n, old);
      // Remove `old` and insert `v` in one shift of the span between them.
      let j = lowerBound(s, this.n, v);
      if (j > i) {
        j--;
        s.copyWithin(i, i + 1, j + 1);
      } else if (j < i) {
        s.copyWithin(j + 1, j, i);
        i = j;
      }
      s[j] = v;
      this.ring[this.head] = v;
      this.head = (this.head + 1) % this.capacity;
      return;
    }
    const j = lowerBound(s, this.n, v);
    s.copyWithin(j + 1, j, this.n);
    s[j] = v;
    this.ring[(this.head + this.n) % this.capacity] = v;
    this.n++;
  }

  /** The median (the mean of the two middle values when the count is even); NaN when empty. */
  median(): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    const s = this.sorted;
    return n % 2 === 1 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  }

  /** The median of |x − m| over the window, for the window's median `m`; NaN when empty. */
  mad(m: number = this.median()): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    const s = this.sorted;
    // Left walk starts at the last value below-or-at m, right walk at the first above it.
    let right = lowerBound(s, n, m);
    while (right < n && (s[right] as number) <= m) right++;
    let left = right - 1;
    const next = (): number => {
      const dl = left >= 0 ? m - (s[left] as number) : Infinity;
      const dr = right < n ? (s[right] as number) - m : Infinity;
      if (dl <= dr) {
        left--;
        return dl;
      }
      right++;
      return dr;
    };
    const k = (n - 1) >> 1;
    for (let i = 0; i < k; i++) next();
    const a = next();
    return n % 2 === 1 ? a : (a + next()) / 2;
  }

  /** The mean of |x − m| over the window; NaN when empty. */
  meanAbsDeviation(m: number = this.median()): number {
    if (this.n === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += Math.abs((this.sorted[i] as number) - m);
    return sum / this.n;
  }

  /** The smallest difference between two distinct held values (the data's resolution); Infinity when all are equal. */
  smallestGap(): number {
    let gap = Infinity;
    const s = this.sorted;
    for (let i = 1; i < this.n; i++) {
      const d = (s[i] as number) - (s[i - 1] as number);
      if (d > 0 && d < gap) gap = d;
    }
    return gap;
  }

  /** The held values in arrival order, oldest first (a copy, for tests and state dumps). */
  values(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) out.push(this.ring[(this.head + i) % this.capacity] as number);
    return out;
  }
}

/** First index in s[0..n) whose value is ≥ v. */
function lowerBound(s: Float32Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((s[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
