/**
 * The mergeable quantile sketch kept in the 1 min and 1 h rollups.
 *
 *   exact mode   value → count, while a bucket holds at most EXACT_LIMIT distinct values
 *                (GPU clocks, temperatures in whole degrees, 0/1 flags), or at most
 *                DECIMAL_EXACT_LIMIT when every value has at most DECIMAL_DIGITS decimals
 *                (utilization in 0.01 steps): quantiles are exact
 *   sketch mode  a DDSketch (relative accuracy ALPHA) once there are more distinct values
 *
 * Why both: DDSketch bounds the *value* error, not the rank error. Measured against the 1 % rank
 * bar: at its default accuracy (1 %) it misses on narrow distributions (5.6 % rank error for
 * 65 ± 2 °C), at 0.2 % it stays under 1 % on continuous data, and on heavily tied data (whole
 * degrees) it misses at any accuracy because it answers a bucket midpoint, not a data value. Exact
 * mode covers the tied case (101 utilization steps with a skewed spread missed by 3.4 % in sketch
 * mode); answers are clamped to the observed [min, max].
 * Non-finite values are not ranked (they are counted nowhere in the sketch).
 */
import { DDSketch } from '@datadog/sketches-js';
import { ByteReader, ByteWriter, CorruptBytes } from '../chunks/byte-stream.ts';
import { ExactCounts } from './exact-counts.ts';
import { decodeFloats, encodeFloats } from '../chunks/float-column.ts';

/** Relative accuracy of the DDSketch mode. */
export const SKETCH_ALPHA = 0.002;
/** Distinct values kept exactly before switching to the DDSketch. */
export const EXACT_LIMIT = 64;
/** Distinct values kept exactly while every one has at most DECIMAL_DIGITS decimals. */
export const DECIMAL_EXACT_LIMIT = 1024;
/** Decimals of a value that counts as a step (0.001 steps and coarser). */
export const DECIMAL_DIGITS = 3;

type DenseStoreLike = DDSketch['store'];

const POW10 = Array.from({ length: DECIMAL_DIGITS + 1 }, (_, d) => 10 ** d);

/** Whether `v` is k / 10^d exactly for some d ≤ DECIMAL_DIGITS. */
function isStep(v: number): boolean {
  for (const p of POW10) {
    const k = Math.round(v * p);
    if (Math.abs(k) < 2 ** 50 && k / p === v) return true;
  }
  return false;
}

/** Scratch for decoding the values of exact records while merging (grown on demand). */
let scratch = new Float64Array(256);

export class QuantileSketch {
  private exact: ExactCounts | null = new ExactCounts();
  /** Every exact value is a step (isStep), so the larger limit applies. */
  private steps = true;
  private dd: DDSketch | null = null;
  /** The exact values ascending with cumulative counts, for quantile(); null after a change. */
  private ranked: { keys: Float64Array; upTo: Float64Array } | null = null;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /** Adds a value `weight` times; ignores NaN and ±Inf. */
  add(value: number, weight = 1): void {
    if (!Number.isFinite(value)) return;
    const v = value === 0 ? 0 : value; // -0 and 0 rank the same
    this.count += weight;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (this.exact !== null) {
      this.ranked = null;
      if (this.exact.add(v, weight)) {
        if (this.steps && !isStep(v)) this.steps = false;
        if (this.exact.size > (this.steps ? DECIMAL_EXACT_LIMIT : EXACT_LIMIT)) this.toSketch();
      }
      return;
    }
    (this.dd as DDSketch).accept(v, weight);
  }

  /**
   * Adds values [start, end) of `values` (ignoring NaN and ±Inf; `values` is not changed). The
   * same result as add() one by one, with one update per distinct value.
   */
  addAll(values: Float64Array, start = 0, end = values.length): void {
    const sorted = values.slice(start, end).sort();
    let i = 0;
    while (i < sorted.length) {
      const v = sorted[i] as number;
      let j = i + 1;
      // -0 and 0 are neighbours after the sort and compare equal: one run.
      while (j < sorted.length && sorted[j] === v) j++;
      this.add(v, j - i);
      i = j;
    }
  }

  private toSketch(): DDSketch {
    const dd = new DDSketch({ relativeAccuracy: SKETCH_ALPHA });
    (this.exact as ExactCounts).forEach((v, c) => dd.accept(v, c));
    this.exact = null;
    this.ranked = null;
    this.dd = dd;
    return dd;
  }

  /** Folds `other` into this sketch; `other` is unchanged. */
  merge(other: QuantileSketch): void {
    if (other.count === 0) return;
    if (other.exact !== null) {
      // add() keeps count, min and max.
      other.exact.forEach((v, c) => this.add(v, c));
      return;
    }
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.count += other.count;
    const mine = this.exact !== null ? this.toSketch() : (this.dd as DDSketch);
    // Bin by bin: DDSketch 2.1.1's merge adds only the positive store of a non-empty sketch, and
    // its DenseStore.merge folds the bins below the receiver's lowest key into one bin.
    const theirs = other.dd as DDSketch;
    addBins(mine.store, theirs.store);
    addBins(mine.negativeStore, theirs.negativeStore);
    mine.zeroCount += theirs.zeroCount;
    mine.count += theirs.count;
    if (theirs.min < mine.min) mine.min = theirs.min;
    if (theirs.max > mine.max) mine.max = theirs.max;
  }

  /** The q-quantile (0 ≤ q ≤ 1), or NaN when empty. Exact mode: the nearest-rank value. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (this.exact !== null) {
      if (this.ranked === null) {
        const { keys, counts } = this.exact.sorted();
        for (let i = 1; i < counts.length; i++) counts[i] = (counts[i] as number) + (counts[i - 1] as number);
        this.ranked = { keys, upTo: counts };
      }
      const { keys, upTo } = this.ranked;
      const rank = Math.max(1, Math.ceil(q * this.count));
      // The first value whose cumulative count reaches the rank.
      let lo = 0;
      let hi = upTo.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((upTo[mid] as number) >= rank) hi = mid;
        else lo = mid + 1;
      }
      return lo < keys.length ? (keys[lo] as number) : this.max;
    }
    const v = (this.dd as DDSketch).getValueAtQuantile(q);
    return Math.min(this.max, Math.max(this.min, v));
  }

  /**
   * Compact bytes. Exact: mode 2, n, the distinct values ascending as a float column, their counts.
   * Sketch: mode 1, min, max, zero count, then the non-empty DDSketch bins. (Mode 0, exact pairs
   * as raw f64, was written before schema 3 and is still read.) Every record is self-delimiting,
   * so records written one after another read back one by one (mergeEncoded).
   */
  encode(): Uint8Array {
    const w = new ByteWriter(64);
    if (this.exact !== null) {
      const { keys, counts } = this.exact.sorted();
      w.byte(2);
      w.uvarint(keys.length);
      encodeFloats(w, keys);
      for (const c of counts) w.uvarint(c);
      return w.finish();
    }
    const dd = this.dd as DDSketch;
    w.byte(1);
    w.f64(this.min);
    w.f64(this.max);
    w.uvarint(Math.round(dd.zeroCount));
    writeStore(w, dd.store);
    writeStore(w, dd.negativeStore);
    return w.finish();
  }

  /**
   * Folds the sketches `bytes` holds (one record encode wrote, or several written one after
   * another) into this one without building them first. Throws CorruptBytes on malformed bytes
   * (this sketch may then hold part of them).
   */
  mergeEncoded(bytes: Uint8Array): void {
    const r = new ByteReader(bytes);
    while (!r.done) this.mergeRecord(r);
  }

  private mergeRecord(r: ByteReader): void {
    const mode = r.byte();
    if (mode === 0) {
      const n = r.uvarint();
      for (let i = 0; i < n; i++) {
        const v = r.f64();
        this.add(v, r.uvarint());
      }
      return;
    }
    if (mode === 2) {
      const n = r.uvarint();
      if (n > r.buf.length) throw new CorruptBytes('sketch count larger than its bytes allow');
      if (n > scratch.length) scratch = new Float64Array(Math.max(n, scratch.length * 2));
      const keys = scratch;
      decodeFloats(r, n, keys);
      for (let i = 0; i < n; i++) this.add(keys[i] as number, r.uvarint());
      return;
    }
    if (mode !== 1) throw new CorruptBytes(`unknown sketch mode ${mode}`);
    const min = r.f64();
    const max = r.f64();
    const zero = r.uvarint();
    const dd = this.exact !== null ? this.toSketch() : (this.dd as DDSketch);
    const n = zero + readStore(r, dd.store) + readStore(r, dd.negativeStore);
    dd.zeroCount += zero;
    dd.count += n;
    this.count += n;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    if (min < dd.min) dd.min = min;
    if (max > dd.max) dd.max = max;
  }

  /**
   * The bytes of a sketch of values [start, end) (NaN and ±Inf ignored), or null when there is no
   * finite value: the same bytes as building the sketch and calling encode(), without a map
   * while the values stay within the exact limit.
   */
  static encodeValues(values: Float64Array, start = 0, end = values.length): Uint8Array | null {
    const sorted = values.slice(start, end).sort();
    const keys = new Float64Array(Math.min(sorted.length, DECIMAL_EXACT_LIMIT + 1));
    const counts: number[] = [];
    let steps = true;
    let i = 0;
    while (i < sorted.length) {
      const v = sorted[i] as number;
      let j = i + 1;
      while (j < sorted.length && sorted[j] === v) j++;
      if (Number.isFinite(v)) {
        if (counts.length > (steps ? DECIMAL_EXACT_LIMIT : EXACT_LIMIT)) break;
        const k = v === 0 ? 0 : v;
        if (steps && !isStep(k)) steps = false;
        keys[counts.length] = k;
        counts.push(j - i);
      }
      i = j;
    }
    if (counts.length === 0) return null;
    if (counts.length > (steps ? DECIMAL_EXACT_LIMIT : EXACT_LIMIT)) {
      const s = new QuantileSketch();
      s.addAll(values, start, end);
      return s.encode();
    }
    const w = new ByteWriter(16 + counts.length * 3);
    w.byte(2);
    w.uvarint(counts.length);
    encodeFloats(w, keys, 0, counts.length);
    for (const c of counts) w.uvarint(c);
    return w.finish();
  }

  /** Reads what encode wrote; throws CorruptBytes on malformed bytes. */
  static decode(bytes: Uint8Array): QuantileSketch {
    const s = new QuantileSketch();
    s.mergeRecord(new ByteReader(bytes));
    return s;
  }
}
function addBins(into: DenseStoreLike, from: DenseStoreLike): void {
  const bins = from.bins;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i] as number;
    if (b > 0) into.add(i + from.offset, b);
  }
}

function writeStore(w: ByteWriter, store: DenseStoreLike): void {
  const bins = store.bins;
  let nonZero = 0;
  for (const b of bins) if (b > 0) nonZero++;
  w.uvarint(nonZero);
  let prevKey = 0;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i] as number;
    if (b <= 0) continue;
    const key = i + store.offset;
    w.svarint(key - prevKey);
    w.uvarint(Math.round(b));
    prevKey = key;
  }
}

function readStore(r: ByteReader, store: DenseStoreLike): number {
  const n = r.uvarint();
  let key = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    key += r.svarint();
    const c = r.uvarint();
    store.add(key, c);
    total += c;
  }
  return total;
}
