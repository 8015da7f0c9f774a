/**
 * Builds and reads the columnar batch layout (see BatchFrame in frames.ts).
 * The builder interns strings and label sets per batch, so every frame decodes on its own.
 */
import type { AgentEvent } from './events.ts';
import type { BatchFrame } from './frames.ts';
import type { Labels, Series } from './series.ts';
import { STATIC_STRINGS, staticIndex, stringAt } from './static-strings.ts';

interface SeriesColumn {
  readonly series: Series;
  readonly ts: number[];
  readonly values: number[];
}

/**
 * Accumulates samples and events until sealed. Not thread-safe; one per batcher.
 * Non-finite values are refused here (`add` returns false) so they never reach the wire.
 */
export class BatchBuilder {
  private columns = new Map<string, SeriesColumn>();
  private events: AgentEvent[] = [];
  private count = 0;
  private minTs = Number.POSITIVE_INFINITY;

  /**
   * Adds one sample; returns false (and keeps nothing) when the value is not finite. A second
   * sample of a series at the same ms replaces the first: a batch holds one point per (series, ts).
   */
  add(series: Series, ts: number, value: number): boolean {
    if (!Number.isFinite(value) || !Number.isFinite(ts)) return false;
    const t = Math.round(ts);
    let col = this.columns.get(series.key);
    if (col === undefined) {
      col = { series, ts: [], values: [] };
      this.columns.set(series.key, col);
    }
    const again = col.ts.lastIndexOf(t);
    if (again !== -1) {
      col.values[again] = value;
      return true;
    }
    col.ts.push(t);
    col.values.push(value);
    this.count++;
    if (t < this.minTs) this.minTs = t;
    return true;
  }

  addEvent(event: AgentEvent): void {
    this.events.push(event);
  }

  get sampleCount(): number {
    return this.count;
  }

  get eventCount(): number {
    return this.events.length;
  }

  get isEmpty(): boolean {
    return this.count === 0 && this.events.length === 0;
  }

  /** Returns the frame for everything added so far and starts empty again. */
  seal(seq: number, now: number): BatchFrame {
    const strs: string[] = [];
    const strIndex = new Map<string, number>();
    const intern = (s: string): number => {
      let i = staticIndex(s) ?? strIndex.get(s);
      if (i === undefined) {
        i = STATIC_STRINGS.length + strs.length;
        strs.push(s);
        strIndex.set(s, i);
      }
      return i;
    };
    const ls: number[][] = [];
    const lsIndex = new Map<string, number>();
    const sr: number[] = [];
    const n: number[] = [];
    const dt: number[] = [];
    const t0 = this.count > 0 ? this.minTs : Math.round(now);
    const v = new Uint8Array(this.count * 8);
    const view = new DataView(v.buffer);
    let k = 0;
    for (const col of this.columns.values()) {
      const { name, labels } = col.series;
      const labelKeys = Object.keys(labels).sort();
      const flat: number[] = [];
      for (const key of labelKeys) flat.push(intern(key), intern(labels[key] as string));
      const setKey = flat.join(',');
      let li = lsIndex.get(setKey);
      if (li === undefined) {
        li = ls.length;
        ls.push(flat);
        lsIndex.set(setKey, li);
      }
      sr.push(intern(name), li);
      n.push(col.ts.length);
      for (let i = 0; i < col.ts.length; i++) {
        dt.push((col.ts[i] as number) - t0);
        view.setFloat64(k * 8, col.values[i] as number, true);
        k++;
      }
    }
    const frame: BatchFrame = { t: 'batch', seq, t0, strs, ls, sr, n, dt, v, ev: this.events };
    this.columns = new Map();
    this.events = [];
    this.count = 0;
    this.minTs = Number.POSITIVE_INFINITY;
    return frame;
  }
}

/** One series of a decoded batch with its points, in the order they were added. */
export interface BatchSeries {
  readonly name: string;
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** A series of a batch without its points: what its dictionary (`strs`, `ls`, `sr`) says. */
export interface BatchSeriesName {
  readonly name: string;
  readonly labels: Labels;
}

/** The name and labels of every series of a validated batch, in `sr` order. */
export function batchSeriesNames(frame: BatchFrame): BatchSeriesName[] {
  const { strs, ls, sr } = frame;
  const labelSets: Labels[] = ls.map((flat) => {
    const o: Record<string, string> = {};
    for (let j = 0; j < flat.length; j += 2) o[stringAt(flat[j] as number, strs) as string] = stringAt(flat[j + 1] as number, strs) as string;
    return o;
  });
  const out: BatchSeriesName[] = [];
  for (let s = 0; s < sr.length; s += 2) out.push({ name: stringAt(sr[s] as number, strs) as string, labels: labelSets[sr[s + 1] as number] as Labels });
  return out;
}

/** Expands a validated batch into its series. Call only on frames that passed validateFrame. */
export function readBatch(frame: BatchFrame): BatchSeries[] {
  const { n, dt, t0 } = frame;
  const names = batchSeriesNames(frame);
  const view = new DataView(frame.v.buffer, frame.v.byteOffset, frame.v.byteLength);
  const out: BatchSeries[] = [];
  let k = 0;
  for (let s = 0; s < n.length; s++) {
    const count = n[s] as number;
    const ts = new Float64Array(count);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++, k++) {
      ts[i] = t0 + (dt[k] as number);
      values[i] = view.getFloat64(k * 8, true);
    }
    const id = names[s] as BatchSeriesName;
    out.push({ name: id.name, labels: id.labels, ts, values });
  }
  return out;
}

/** Total samples of a validated batch. */
export function batchSampleCount(frame: BatchFrame): number {
  let total = 0;
  for (const c of frame.n) total += c;
  return total;
}
