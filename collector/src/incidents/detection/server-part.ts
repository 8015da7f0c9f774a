/**
 * The provider's part of a probe run's wait, TTFT − TTFB, derived from the two stored series of
 * the same target: every run stamps all its series with its start, so the two points of one run
 * share a ts. Points wait here until their partner has been read (the two series are read one
 * after the other, and a batch may split a run's points).
 */

/** Unpaired points kept per side; older ones are dropped first. */
const MAX_WAITING = 512;

export class ServerPart {
  private readonly ttft = new Map<number, number>();
  private readonly ttfb = new Map<number, number>();

  /** Adds TTFT points; returns the server parts of the runs now complete, ascending. */
  addTtft(ts: ArrayLike<number>, values: ArrayLike<number>): { ts: number[]; values: number[] } {
    return this.pair(ts, values, this.ttft, this.ttfb, (ttft, ttfb) => ttft - ttfb);
  }

  /** Adds TTFB points; returns the server parts of the runs now complete, ascending. */
  addTtfb(ts: ArrayLike<number>, values: ArrayLike<number>): { ts: number[]; values: number[] } {
    return this.pair(ts, values, this.ttfb, this.ttft, (ttfb, ttft) => ttft - ttfb);
  }

  private pair(ts: ArrayLike<number>, values: ArrayLike<number>, mine: Map<number, number>, theirs: Map<number, number>, part: (a: number, b: number) => number): { ts: number[]; values: number[] } {
    const out = { ts: [] as number[], values: [] as number[] };
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i] as number;
      const other = theirs.get(t);
      if (other === undefined) {
        mine.set(t, values[i] as number);
        if (mine.size > MAX_WAITING) mine.delete(mine.keys().next().value as number);
        continue;
      }
      theirs.delete(t);
      out.ts.push(t);
      out.values.push(Math.max(part(values[i] as number, other), 0));
    }
    return out;
  }
}
