// What one incident-detection pass costs over a large fleet, in one process as the collector runs
// it: --agents simulated hosts (tests/support/fleet-sim: probes every 2–5 s of three hosted
// providers and a local vLLM, CPU, memory, --gpus GPUs and the local server at 2 Hz) are written
// second by second through ChunkedStore.storeBatch and the store's flush for --minutes of history
// (a baseline's reach), then the collector's incident job runs a pass every 5 s of simulated
// time while 5 s of new samples arrive between passes. Prints JSON: the first pass (it discovers
// every series and reads its history from the store), then over --passes steady passes the
// median, p90 and max CPU ms of one pass (process CPU time, user + system: the job runs on the
// collector's one thread), the same for a ceiling measured on the same data just before each pass
// (reading the new points of every watched series, Store.pointsAfter, and nothing else), their
// ratio, the share of one core at one pass every 5 s, and the heap the detector's state takes.
//
// Usage: node bench/incident-detection.mjs [--agents 1000] [--gpus 2] [--minutes 13] [--passes 24] [--seed 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBundle, parseArgs } from './support/bundle.mjs';
import { median, ROOT } from './support/processes.mjs';

const args = parseArgs(process.argv.slice(2));
const AGENTS = Number(args.agents ?? 1000);
const GPUS = Number(args.gpus ?? 2);
const MINUTES = Number(args.minutes ?? 13);
const PASSES = Number(args.passes ?? 24);
const SEED = Number(args.seed ?? 1);

const m = await importBundle('incident-detection', [
  `export { ChunkedStore } from '${ROOT}/collector/src/store/chunked-store.ts';`,
  `export { openDatabase } from '${ROOT}/collector/src/store/schema/sqlite-db.ts';`,
  `export { IncidentRows } from '${ROOT}/collector/src/store/rows/incident-rows.ts';`,
  `export { MemoryAuditSink } from '${ROOT}/collector/src/audit/audit-entry.ts';`,
  `export { startIncidentJob } from '${ROOT}/collector/src/incidents/incident-job.ts';`,
  `export { DEFAULT_INCIDENTS_CONFIG } from '${ROOT}/collector/src/incidents/incidents-config.ts';`,
  `export { PROBE_SIGNALS, TELEMETRY_SIGNALS } from '${ROOT}/collector/src/incidents/detection/signal-catalog.ts';`,
  `export { silentLogger } from '${ROOT}/protocol/src/log.ts';`,
  `export { simFleet } from '${ROOT}/tests/support/fleet-sim/fleet-model.ts';`,
  `export { storeReplay } from '${ROOT}/tests/support/fleet-sim/store-replay.ts';`,
]);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const dir = mkdtempSync(join(tmpdir(), 'incident-bench-'));
try {
  const clock = { now: 0 };
  const { db } = m.openDatabase(dir);
  const store = new m.ChunkedStore(db, { clock: () => clock.now });
  const hosts = m.simFleet(SEED, AGENTS).map((h) => ({ ...h, gpus: GPUS }));
  const start = Date.UTC(2025, 0, 1, 12);
  const replay = m.storeReplay(store, hosts, () => [], start, clock);
  const fillCpu0 = cpuMs();
  replay.runUntil(start + MINUTES * 60_000);
  const fillCpuS = (cpuMs() - fillCpu0) / 1000;
  const samples = store.sampleCount();

  const job = m.startIncidentJob({ store, rows: new m.IncidentRows(db), audit: new m.MemoryAuditSink(), config: { ...m.DEFAULT_INCIDENTS_CONFIG, enabled: false }, log: m.silentLogger, clock: () => clock.now });
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let c0 = cpuMs();
  const first = job.passNow(clock.now);
  const firstMs = cpuMs() - c0;

  // A large fleet is taken up over several passes (maxNewPerPass): run them until every series is followed.
  let warmup = 1;
  let warmupMs = firstMs;
  for (let before = -1; job.lastPass.series !== before; warmup++) {
    before = job.lastPass.series;
    replay.runUntil(clock.now + 5_000);
    c0 = cpuMs();
    job.passNow(clock.now);
    warmupMs += cpuMs() - c0;
  }

  globalThis.gc?.();
  const heapMiB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const watched = new Set([...m.PROBE_SIGNALS, ...m.TELEMETRY_SIGNALS].map((s) => s.name));
  const ids = store.metricNames().filter((n) => watched.has(n)).flatMap((n) => store.findSeries(n, () => true, Number.MAX_SAFE_INTEGER).series.map((s) => s.id));
  const pass = [];
  const ceiling = [];
  let last = first;
  for (let k = 0; k < PASSES; k++) {
    replay.runUntil(clock.now + 5_000);
    c0 = cpuMs();
    let points = 0;
    for (const id of ids) points += store.pointsAfter(id, clock.now - 5_000).ts.length;
    ceiling.push(cpuMs() - c0);
    c0 = cpuMs();
    last = job.passNow(clock.now);
    pass.push(cpuMs() - c0);
    if (points === 0) throw new Error('no new points between passes');
  }
  const sorted = [...pass].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const passMedian = median(pass);
  const ceilingMedian = median(ceiling);
  console.log(JSON.stringify({
    agents: AGENTS, gpusPerAgent: GPUS, historyMinutes: MINUTES, samplesStored: samples, fillCpuSeconds: Number(fillCpuS.toFixed(1)),
    seriesFollowed: last.series,
    firstPass: { cpuMs: Math.round(firstMs), what: 'discovers series (at most 2,000 a pass) and reads their history from the store' },
    untilAllFollowed: { passes: warmup, cpuMs: Math.round(warmupMs) },
    steadyPass: { passes: PASSES, medianCpuMs: Number(passMedian.toFixed(1)), p90CpuMs: Number(q(0.9).toFixed(1)), maxCpuMs: Number(sorted[sorted.length - 1].toFixed(1)) },
    ceiling: { what: 'pointsAfter of every watched series, nothing judged', medianCpuMs: Number(ceilingMedian.toFixed(1)) },
    ratioToCeiling: Number((passMedian / ceilingMedian).toFixed(2)),
    coreShareAtOnePassPer5s: Number((passMedian / 5_000).toFixed(4)),
    detectorHeapMiB: Number(heapMiB.toFixed(0)),
    shiftedAtLastPass: last.shifted, findingsAtLastPass: last.findings,
  }, null, 2));
  job.stop();
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
