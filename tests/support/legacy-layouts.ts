/**
 * Byte layouts the store wrote before schema 3, rebuilt for tests of what reads or upgrades them
 * (test code: the store itself only decodes these).
 */
import { ByteWriter } from '../../collector/src/store/chunks/byte-stream.ts';
import type { Agg } from '../../collector/src/store/rollups/rollup-tiers.ts';

/** Schema 2's rollup block: n, then per bucket the slot delta, count, sum, min, max as raw f64. */
export function legacyBlock(blockStart: number, bucketMs: number, aggs: readonly Agg[]): Uint8Array {
  const w = new ByteWriter();
  w.uvarint(aggs.length);
  let prev = 0;
  for (const a of aggs) {
    const slot = (a.start - blockStart) / bucketMs;
    w.uvarint(slot - prev);
    prev = slot;
    w.uvarint(a.count);
    w.f64(a.sum);
    w.f64(a.min);
    w.f64(a.max);
  }
  return w.finish();
}

/** Schema 2's sketch: a 0 byte, then the distinct values with their counts (first-seen order). */
export function legacySketch(values: ArrayLike<number>): Uint8Array {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i] as number, (counts.get(values[i] as number) ?? 0) + 1);
  const w = new ByteWriter();
  w.byte(0);
  w.uvarint(counts.size);
  for (const [v, c] of counts) {
    w.f64(v);
    w.uvarint(c);
  }
  return w.finish();
}
