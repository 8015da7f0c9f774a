/**
 * The newest flushed points of each series, kept in memory for a follower (Store.pointsAfter):
 * when a window closes between two of its reads, the points it has not seen went to chunks, and
 * without this it would read them back from SQLite, for every series, once a minute.
 *
 *   flushed to chunks:  ……………………………[ tail: every flushed point with ts ≥ through − TAIL_MS ]
 *                                    tailStart                                     through
 *
 * Invariant: `tail` holds every point this process flushed with ts ≥ tailStart (`through` only
 * grows, so a point of an older tail at or after the new tailStart is in the old tail).
 */
import { concatPoints } from '../store.ts';
import type { Points } from '../store.ts';

/** How far back from the newest flushed point a tail reaches: a follower that comes back within this reads memory only. */
export const TAIL_MS = 30_000;

/** The answer when nothing flushed reaches `from` (most calls): shared, never written to. */
const NOTHING: Points = { ts: new Float64Array(0), values: new Float64Array(0) };

interface Tail {
  through: number;
  start: number;
  ts: Float64Array;
  values: Float64Array;
}

export class FlushedTails {
  private readonly bySeries = new Map<number, Tail>();

  /** A cut of a series (sorted by ts) has been committed to chunks. */
  note(seriesId: number, ts: Float64Array, values: Float64Array): void {
    const n = ts.length;
    if (n === 0) return;
    const old = this.bySeries.get(seriesId);
    const through = Math.max(old?.through ?? Number.NEGATIVE_INFINITY, ts[n - 1] as number);
    const start = through - TAIL_MS;
    const keep: [number, number][] = [];
    if (old !== undefined) for (let i = 0; i < old.ts.length; i++) if ((old.ts[i] as number) >= start) keep.push([old.ts[i] as number, old.values[i] as number]);
    for (let i = 0; i < n; i++) if ((ts[i] as number) >= start) keep.push([ts[i] as number, values[i] as number]);
    if (old !== undefined && old.ts.length > 0) keep.sort((a, b) => a[0] - b[0]);
    this.bySeries.set(seriesId, { through, start, ts: Float64Array.from(keep, (p) => p[0]), values: Float64Array.from(keep, (p) => p[1]) });
  }

  /**
   * What chunks hold with ts ≥ from, if memory knows it: empty when nothing flushed reaches
   * `from`, the tail's points when the tail covers it, null when the chunks must be read (nothing
   * known of the series, or `from` older than its tail).
   */
  from(seriesId: number, from: number): Points | null {
    const t = this.bySeries.get(seriesId);
    if (t === undefined) return null;
    if (t.through < from) return NOTHING;
    if (from < t.start) return null;
    let i = 0;
    while (i < t.ts.length && (t.ts[i] as number) < from) i++;
    return { ts: t.ts.slice(i), values: t.values.slice(i) };
  }
}

/** Flushed tail points followed by head points, as one ascending run (late points can interleave). */
export function tailThenHead(tail: Points, head: Points): Points {
  if (tail.ts.length === 0) return head;
  if (head.ts.length === 0) return tail;
  const both = concatPoints([tail, head]);
  let sorted = true;
  for (let i = 1; i < both.ts.length && sorted; i++) sorted = (both.ts[i - 1] as number) <= (both.ts[i] as number);
  if (sorted) return both;
  const idx = Array.from(both.ts, (_, i) => i).sort((a, b) => (both.ts[a] as number) - (both.ts[b] as number) || a - b);
  return { ts: Float64Array.from(idx, (i) => both.ts[i] as number), values: Float64Array.from(idx, (i) => both.values[i] as number) };
}
