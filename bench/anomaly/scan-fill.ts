/**
 * What bench/anomaly-cost.mjs measures, in TypeScript: the detector alone (CPU per point, heap
 * per series) and the collector's scan over a real store of many series.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchSeries } from '../../protocol/src/batch.ts';
import { AnomalyDetector } from '../../protocol/src/anomaly/anomaly-detector.ts';
import { DEFAULT_ANOMALY_OPTIONS, LIVE_ANOMALY_OPTIONS } from '../../protocol/src/anomaly/anomaly-options.ts';
import type { AnomalyOptions } from '../../protocol/src/anomaly/anomaly-options.ts';
import { seededNormal } from '../../protocol/src/spc/seeded-normal.ts';
import { AnomalyScan, DEFAULT_SCAN } from '../../collector/src/analytics/anomaly-scan.ts';
import { ChunkedStore } from '../../collector/src/store/chunked-store.ts';
import { AnomalyRows } from '../../collector/src/store/rows/anomaly-rows.ts';
import { openDatabase } from '../../collector/src/store/schema/sqlite-db.ts';

export const SETTINGS: Record<string, AnomalyOptions> = {
  agent: LIVE_ANOMALY_OPTIONS,
  collector: DEFAULT_SCAN.detector,
  nab: DEFAULT_ANOMALY_OPTIONS,
};

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** CPU µs per point: `series` detectors, each fed `points` values (after a warm-up of their window). */
export function detectorCost(options: AnomalyOptions, series: number, points: number): number {
  const rnd = seededNormal(1);
  const ds = Array.from({ length: series }, () => new AnomalyDetector(options));
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < options.window; i++) for (const d of ds) d.push(t0 + i * 10_000, 50 + rnd());
  const c = cpu();
  for (let i = 0; i < points; i++) for (const d of ds) d.push(t0 + (options.window + i) * 10_000, 50 + rnd());
  return ((cpu() - c) * 1e6) / (series * points);
}

/** Heap bytes per warm detector (needs --expose-gc for a clean figure). */
export function detectorBytes(options: AnomalyOptions, series: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const ds = Array.from({ length: series }, () => new AnomalyDetector(options));
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < options.window + 2; i++) for (const d of ds) d.push(t0 + i * 3_600_000, i);
  gc?.();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const bytes = (after - before) / series;
  if (ds.length === 0) throw new Error('unreachable');
  return bytes;
}

/**
 * The collector's scan over `series` series of a real store (SQLite in a temporary directory),
 * `perMinute` points each per minute for `minutes` minutes: CPU seconds per minute scanned.
 */
export function scanCost(series: number, perMinute: number, minutes: number): { fillS: number; scanCpuS: number[]; watched: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sigmascope-bench-scan-'));
  const { db } = openDatabase(dir);
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - (minutes + 1) * 60_000;
  let clock = t0;
  const store = new ChunkedStore(db, { clock: () => clock });
  const scan = new AnomalyScan(store, new AnomalyRows(db), DEFAULT_SCAN);
  const rnd = seededNormal(2);
  const hosts = Math.ceil(series / 100);
  const fill = cpu();
  let seq = 0;
  const scanCpuS: number[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let h = 0; h < hosts; h++) {
      const b: BatchSeries[] = [];
      for (let k = 0; k < 100 && h * 100 + k < series; k++) {
        const ts = Float64Array.from({ length: perMinute }, (_, i) => t0 + m * 60_000 + i * (60_000 / perMinute));
        b.push({ name: `bench.metric_${k % 10}`, labels: { 'hw.id': String(k) }, ts, values: ts.map(() => 50 + rnd()) });
      }
      store.storeBatch(`host-${h}`, 'main', ++seq, b, [], t0);
    }
    clock = t0 + (m + 1) * 60_000 + 20_000;
    store.flush();
    const c = cpu();
    while (!scan.step(clock).done);
    scanCpuS.push(cpu() - c);
  }
  const fillS = cpu() - fill - scanCpuS.reduce((a, b) => a + b, 0);
  const watched = scan.status().watched;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { fillS, scanCpuS, watched };
}
