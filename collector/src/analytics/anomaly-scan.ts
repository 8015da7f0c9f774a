/**
 * The collector's own anomaly watch over every stored series (up to `maxSeries`, 100,000 by
 * default), whether or not its agent runs one: each closed minute, each series' mean of the minute
 * (a counter's rate) goes through one AnomalyDetector per series; the first point of each episode
 * becomes a row of `anomalies`. The scan runs in slices of series so ingest and queries interleave:
 *
 *   minute M closes (+ grace) ─▶ snapshot of series ─▶ slice ─ setImmediate ─▶ slice … ─▶ done
 *
 * Per series it keeps a detector (about 1.3 kB at the live defaults) and a counter's last value.
 * Series of anomaly scores are never scanned. Anomaly rows live as long as the 1-minute tier.
 */
import { AnomalyDetector } from '@sigmascope/protocol/anomaly/anomaly-detector';
import type { AnomalyOptions } from '@sigmascope/protocol/anomaly/anomaly-options';
import { LIVE_ANOMALY_OPTIONS } from '@sigmascope/protocol/anomaly/anomaly-options';
import { SCORE_METRIC } from '@sigmascope/protocol/anomaly/anomaly-event';
import { Metric } from '@sigmascope/protocol/metrics';
import type { AnomalyRows, NewAnomaly } from '../store/rows/anomaly-rows.ts';
import type { SeriesRef, TimeSeriesReader } from '../store/store.ts';

/** Cumulative series: what is unusual is their rate, not their level. */
export const COUNTER_METRICS: ReadonlySet<string> = new Set([Metric.networkIo, Metric.diskIo, Metric.hwErrors, Metric.inferenceOutputTokens]);

export interface AnomalyScanOptions {
  readonly detector: AnomalyOptions;
  readonly maxSeries: number;
  /** One point per series per step (ms). */
  readonly stepMs: number;
  /** A step is scanned this long after it closed, when late points are in (ms). */
  readonly graceMs: number;
  readonly sliceSeries: number;
}

export const DEFAULT_SCAN: AnomalyScanOptions = Object.freeze({ detector: Object.freeze({ ...LIVE_ANOMALY_OPTIONS, window: 60 }), maxSeries: 100_000, stepMs: 60_000, graceMs: 15_000, sliceSeries: 1_000 });

interface Watched {
  readonly detector: AnomalyDetector;
  lastCount: number;
}

/** Figures for /metrics, logs and the bench. */
export interface ScanStatus {
  readonly watched: number;
  readonly untracked: number;
  readonly scannedThrough: number | null;
  readonly anomalies: number;
  readonly lastScanSeries: number;
}

export class AnomalyScan {
  private readonly reader: TimeSeriesReader;
  private readonly rows: AnomalyRows;
  private readonly o: AnomalyScanOptions;
  private readonly watched = new Map<number, Watched>();
  private untracked = 0;
  private anomalies = 0;
  private scannedThrough: number | null = null;
  private lastScanSeries = 0;
  private current: { readonly end: number; readonly series: readonly SeriesRef[]; next: number } | null = null;

  constructor(reader: TimeSeriesReader, rows: AnomalyRows, options: AnomalyScanOptions = DEFAULT_SCAN) {
    this.reader = reader;
    this.rows = rows;
    this.o = options;
  }

  /**
   * One slice: starts the scan of the newest closed step when it is due, then scans its next
   * `sliceSeries` series. `done` when nothing of the step is left (or nothing was due).
   */
  step(now: number): { done: boolean; series: number; anomalies: number } {
    if (this.current === null) {
      const end = Math.floor((now - this.o.graceMs) / this.o.stepMs) * this.o.stepMs;
      if (this.scannedThrough !== null && end <= this.scannedThrough) return { done: true, series: 0, anomalies: 0 };
      this.current = { end, series: this.snapshot(), next: 0 };
    }
    const c = this.current;
    const found: NewAnomaly[] = [];
    const upto = Math.min(c.series.length, c.next + this.o.sliceSeries);
    for (let i = c.next; i < upto; i++) {
      const a = this.scanOne(c.series[i] as SeriesRef, c.end);
      if (a !== null) found.push(a);
    }
    const scanned = upto - c.next;
    c.next = upto;
    this.rows.record(found);
    this.anomalies += found.length;
    const done = c.next === c.series.length;
    if (done) {
      this.scannedThrough = c.end;
      this.lastScanSeries = c.series.length;
      this.current = null;
    }
    return { done, series: scanned, anomalies: found.length };
  }

  /** Deletes anomalies older than the 1-minute tier keeps. */
  prune(now: number): number {
    return this.rows.prune(this.reader.keptSince('1m', now));
  }

  status(): ScanStatus {
    return { watched: this.watched.size, untracked: this.untracked, scannedThrough: this.scannedThrough, anomalies: this.anomalies, lastScanSeries: this.lastScanSeries };
  }

  /** Every series to scan this step: the watched ones, and new ones while there is room. */
  private snapshot(): SeriesRef[] {
    const out: SeriesRef[] = [];
    let room = this.o.maxSeries - this.watched.size;
    let untracked = 0;
    for (const name of this.reader.metricNames()) {
      if (name === SCORE_METRIC) continue;
      for (const s of this.reader.findSeries(name, () => true, Number.MAX_SAFE_INTEGER).series) {
        if (this.watched.has(s.id)) out.push(s);
        else if (room > 0) {
          out.push(s);
          room--;
        } else untracked++;
      }
    }
    this.untracked = untracked;
    return out;
  }

  private scanOne(s: SeriesRef, end: number): NewAnomaly | null {
    const p = this.reader.raw(s.id, end - this.o.stepMs, end - 1);
    const n = p.ts.length;
    if (n === 0) return null;
    let w = this.watched.get(s.id);
    if (w === undefined) {
      w = { detector: new AnomalyDetector(this.o.detector), lastCount: Number.NaN };
      this.watched.set(s.id, w);
    }
    let value: number;
    if (COUNTER_METRICS.has(s.name)) {
      // Increase over the step (a drop is a restart: the new count is the increase), per second.
      let prev = w.lastCount;
      let inc = 0;
      for (let i = 0; i < n; i++) {
        const v = p.values[i] as number;
        if (Number.isFinite(prev)) inc += v >= prev ? v - prev : v;
        prev = v;
      }
      const first = Number.isNaN(w.lastCount);
      w.lastCount = prev;
      if (first) return null;
      value = inc / (this.o.stepMs / 1000);
    } else {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += p.values[i] as number;
      value = sum / n;
    }
    const v = w.detector.push(end - 1, value);
    if (v === null || !v.event) return null;
    return { agent: s.agent, seriesId: s.id, ts: end - 1, value, baseline: v.baseline as number, scale: v.scale as number, score: v.score };
  }
}
