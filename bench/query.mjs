// Query latency on the chunked store, in one process (the collector answers queries on the same
// thread that stores batches, so this is where they compete): 24 h of 2 Hz history for 100 hosts
// is written through ChunkedStore.storeBatch + flush + the period rollup, then each query pattern
// runs --runs times while timers keep ingesting --rate samples/s into the same store, flushing
// every second and rolling up every minute as the collector's store jobs do. Prints JSON with
// p50/p95 ms per pattern, the same 24 h query as a raw scan (decode every chunk, aggregate), their
// ratio, the ingest rate and CPU seconds of the fill (all of it, and flush + rollup alone), and
// bytes per sample on disk (chunks alone, and the whole file with rollups, sketches and indexes).
//
// --verbose adds each run's time and what ran on the thread since the previous run (ingest ticks,
// flush and rollup slices with their ms), to see which runs are slow and what they followed.
//
// Usage: node bench/query.mjs [--hosts 100] [--hours 24] [--runs 21] [--rate 100000] [--verbose]
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1] === undefined || all[i + 1].startsWith('--') ? true : all[i + 1]]] : acc), []));
const VERBOSE = args.verbose === true;
const HOSTS = Number(args.hosts ?? 100);
const HOURS = Number(args.hours ?? 24);
const RUNS = Number(args.runs ?? 21);
const RATE = Number(args.rate ?? 100_000);

// Bundle the store and query modules (TypeScript) for Node 20; native packages stay external.
const cache = join(root, 'node_modules', '.cache', 'sigmascope-bench');
mkdirSync(cache, { recursive: true });
const entry = join(cache, 'query-entry.ts');
const out = join(cache, 'query-bundle.mjs');
await import('node:fs').then((fs) =>
  fs.writeFileSync(entry, [
    `export { ChunkedStore } from '${root}/collector/src/store/chunked-store.ts';`,
    `export { openDatabase } from '${root}/collector/src/store/schema/sqlite-db.ts';`,
    `export { seriesBuckets } from '${root}/collector/src/query/series-buckets.ts';`,
    `export { groupedPercentiles } from '${root}/collector/src/query/percentiles.ts';`,
    `export { aggregate } from '${root}/collector/src/store/rollups/rollup-tiers.ts';`,
  ].join('\n')),
);
await build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['better-sqlite3', 'sqlite-vec', '@datadog/sketches-js'], logLevel: 'error' });
const m = await import(pathToFileURL(out).href);

const dir = mkdtempSync(join(tmpdir(), 'bench-query-'));
const MIN = 60_000;
const HOUR = 3_600_000;
const now0 = Math.floor(Date.now() / MIN) * MIN;
const start = now0 - HOURS * HOUR;
let clock = start;
const opened = m.openDatabase(dir);
const store = new m.ChunkedStore(opened.db, { clock: () => clock });

// Realistic value shapes: GPU utilization in 1/100 steps with drift, temperature in whole degrees.
let seed = 1;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
const seqs = new Array(HOSTS).fill(0);
const util = new Array(HOSTS).fill(0.5);
function hostBatch(h, t0, points) {
  const ts = new Float64Array(points);
  const u = new Float64Array(points);
  const temp = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    ts[i] = t0 + i * 500;
    util[h] = Math.min(1, Math.max(0, util[h] + (rnd() - 0.5) * 0.02));
    u[i] = Math.round(util[h] * 100) / 100;
    temp[i] = Math.round(50 + 30 * util[h]);
  }
  return [
    { name: 'hw.gpu.utilization', labels: { 'hw.id': 'GPU-0' }, ts, values: u },
    { name: 'hw.gpu.temperature', labels: { 'hw.id': 'GPU-0' }, ts, values: temp },
  ];
}

// Fill: one batch of 1 minute per host, flushing as the collector's job would.
const cpu0 = process.cpuUsage();
let filled = 0;
let flushCpuUs = 0; // flush + period rollup, the part of the store path after storeBatch
for (let t = start; t < now0; t += MIN) {
  for (let h = 0; h < HOSTS; h++) {
    store.storeBatch(`host-${String(h).padStart(3, '0')}`, 'main', ++seqs[h], hostBatch(h, t, 120), [], t);
    filled += 240;
  }
  clock = t + MIN;
  const c0 = process.cpuUsage();
  store.flush();
  if ((t - start) % (10 * MIN) === 0) store.rollHours();
  const c1 = process.cpuUsage(c0);
  flushCpuUs += c1.user + c1.system;
}
clock = now0;
store.flush();
store.rollHours();
const fillCpu = process.cpuUsage(cpu0);
const fillCpuS = (fillCpu.user + fillCpu.system) / 1e6;
opened.db.pragma('wal_checkpoint(TRUNCATE)');
const chunkBytes = opened.db.prepare('select sum(length(data)) from chunks').pluck().get();
const fileBytes = statSync(join(dir, 'sigmascope.db')).size;

// Live ingest during the queries: RATE samples/s in 100 ms slices of 2 Hz batches, from other agents.
const liveHosts = Math.max(1, Math.round(RATE / 2 / 100)); // 100 series per live agent at 2 Hz
const liveSeq = new Array(liveHosts).fill(0);
let liveStored = 0;
let liveTick = 0;
const liveNames = Array.from({ length: 100 }, (_, i) => `bench.live.m${i}`);
// What ran on the thread since the last query run (--verbose).
let since = { ingest: 0, ingest_ms: 0, flush: 0, flush_ms: 0, roll: 0, roll_ms: 0 };
const timed = (kind, fn) => {
  const t = process.hrtime.bigint();
  const r = fn();
  since[kind]++;
  since[`${kind}_ms`] += Number(process.hrtime.bigint() - t) / 1e6;
  return r;
};
const ingestTimer = setInterval(() => timed('ingest', () => {
  clock = Date.now();
  const ticks = 2 * 0.1; // 2 Hz over 100 ms: each agent sends one tick every 5 slices
  liveTick++;
  for (let a = liveTick % 5; a < liveHosts; a += 5) {
    const series = liveNames.map((name) => ({ name, labels: {}, ts: Float64Array.of(clock), values: Float64Array.of(rnd()) }));
    store.storeBatch(`live-${a}`, 'main', ++liveSeq[a], series, [], clock);
    liveStored += 100;
  }
  void ticks;
}), 100);
// As the collector's store jobs (store-jobs.ts): the flush every second and the period rollup
// every minute, each in slices with a turn of the event loop between them.
const sliced = (step) => {
  let running = false;
  const next = () => {
    if (step().done) running = false;
    else setImmediate(next);
  };
  return () => {
    if (running) return;
    running = true;
    next();
  };
};
const flushTimer = setInterval(sliced(() => timed('flush', () => store.flushSlice())), 1000);
const rollTimer = setInterval(sliced(() => timed('roll', () => store.rollSlice())), 60_000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const hostSeries = store.findSeries('hw.gpu.utilization', () => true, 1000).series;
const QUERIES = {
  // The dashboard's fleet view: 24 h × 100 hosts in 5-min buckets (1m tier + raw edges).
  fleet_24h_5min: () => hostSeries.reduce((n, s) => n + m.seriesBuckets(store, s.id, now0 - HOURS * HOUR + 1234, now0 - 1, 300_000, Date.now()).buckets.length, 0),
  // The same answer from raw chunks: decode every point, aggregate.
  fleet_24h_raw_scan: () => hostSeries.reduce((n, s) => {
    const p = store.raw(s.id, now0 - HOURS * HOUR + 1234, now0 - 1);
    return n + m.aggregate(p.ts, p.values, 300_000).length;
  }, 0),
  percentiles_1h_100_series: () => m.groupedPercentiles(store, hostSeries, ['agent'], [0.5, 0.9, 0.95, 0.99], Date.now() - HOUR - 17_000, Date.now() - 17_000).length,
  one_series_last_hour_raw: () => store.raw(hostSeries[0].id, now0 - HOUR, now0).ts.length,
  last_5min_100_series_raw: () => hostSeries.reduce((n, s) => n + store.raw(s.id, now0 - 5 * MIN, now0).ts.length, 0),
};
const results = {};
await sleep(1500);
for (const [name, q] of Object.entries(QUERIES)) {
  const times = [];
  const log = [];
  let size = 0;
  for (let r = 0; r < RUNS; r++) {
    const before = since;
    since = { ingest: 0, ingest_ms: 0, flush: 0, flush_ms: 0, roll: 0, roll_ms: 0 };
    const t = process.hrtime.bigint();
    size = q();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    times.push(ms);
    log.push({ ms: +ms.toFixed(2), second: +((Date.now() % MIN) / 1000).toFixed(1), after: Object.fromEntries(Object.entries(before).map(([k, v]) => [k, +v.toFixed(1)])) });
    await sleep(50); // let the ingest timer run between queries
  }
  results[name] = { p50_ms: +pct(times, 0.5).toFixed(2), p95_ms: +pct(times, 0.95).toFixed(2), answer_size: size, ...(VERBOSE ? { runs: log } : {}) };
}
clearInterval(ingestTimer);
clearInterval(flushTimer);
clearInterval(rollTimer);
const cpuAll = process.cpuUsage();
store.close();
rmSync(dir, { recursive: true, force: true });

console.log(JSON.stringify({
  hosts: HOSTS,
  hours: HOURS,
  runs: RUNS,
  queries: results,
  raw_scan_ratio_24h: +(results.fleet_24h_raw_scan.p50_ms / results.fleet_24h_5min.p50_ms).toFixed(1),
  ingest_during_queries_samples: liveStored,
  fill: { samples: filled, cpu_s: +fillCpuS.toFixed(2), samples_per_cpu_s: Math.round(filled / fillCpuS), flush_and_rollup_samples_per_cpu_s: Math.round(filled / (flushCpuUs / 1e6)) },
  bytes_per_sample_chunks: +(chunkBytes / filled).toFixed(3),
  bytes_per_sample_file: +(fileBytes / filled).toFixed(3),
  process_cpu_s: +((cpuAll.user + cpuAll.system) / 1e6).toFixed(2),
}, null, 1));
