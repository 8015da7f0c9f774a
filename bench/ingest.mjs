// Ingest throughput: a load generator speaking the real protocol (the codec of protocol/src,
// bundled with esbuild at start) to a real collector process, over N WebSocket connections, each
// its own agent token and stream, with the agent's in-flight window. Frames are built and encoded
// before the clock starts: the bench measures the collector, not itself.
//
// Two phases, each --runs times with a fresh collector, medians printed as JSON:
//   throughput  every connection sends --frames frames as fast as acks allow (6,000: about 4 s of
//               collector CPU, past the JIT's warm-up and the head's first growth, which were about
//               a third of a 1,500-frame run's; 12,000 gives the same figure): samples stored per
//               collector CPU-second (utime+stime from /proc/PID/stat), the ceiling of the same
//               frames through decode (scan + msgpackr + validate) and the in-memory head append in
//               this process (same run), their ratio, bytes per sample on the wire (frame +
//               WebSocket header) and on disk (pages in use after a clean stop), frames per commit;
//   offered     --offered samples/s as agents send them live: one 1-tick frame per agent per 500 ms
//               (--offered / 99 / 2 agents), --seconds long: the collector's CPU as % of one core,
//               samples lost, and sample → queryable latency (frame sent → its ack, which the
//               collector sends after the samples are queryable; every 50th frame is also looked
//               up through /api/v1/series right after its ack and must be there); then the same
//               agents against bench/support/ack-server.mjs (welcome and acks, no decode, no store):
//               the transport floor, the CPU the collector's socket path alone costs here.
//
// Usage: node bench/ingest.mjs [--connections 8] [--frames 6000] [--ticks-per-frame 1]
//                              [--gpus 8] [--window 8] [--runs 3] [--profile]
//                              [--offered 100000] [--seconds 30] [--node-options OPTS]
//   --offered 0  skips the offered-load phase; --frames 0 skips the throughput phase
//   --node-options  NODE_OPTIONS for the collector process (default: none, Node's defaults)
//   --profile    also runs the collector under --cpu-prof and prints its top functions by self time
//                and the share of its busy time in each stage (flush, group commit, decode)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { profileSummary } from './support/cpu-profile.mjs';
import { hostTickSeries } from './support/host-tick.mjs';
import { cpuSeconds, cpuSplit, median, ROOT, sleep, start, startCli, waitForOutput } from './support/processes.mjs';

const root = ROOT;

function usage(message) {
  process.stderr.write(`bench/ingest.mjs: ${message}\n`);
  process.exit(2);
}
let opts;
try {
  opts = parseArgs({
    options: {
      connections: { type: 'string', default: '8' }, frames: { type: 'string', default: '6000' }, 'ticks-per-frame': { type: 'string', default: '1' },
      gpus: { type: 'string', default: '8' }, window: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false },
      offered: { type: 'string', default: '100000' }, seconds: { type: 'string', default: '30' }, 'node-options': { type: 'string', default: '' },
    },
  }).values;
} catch (err) {
  usage(err.message);
}
const int = (name, min, max) => {
  const v = Number(opts[name]);
  if (!Number.isInteger(v) || v < min || v > max) usage(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(opts[name])}`);
  return v;
};
const connections = int('connections', 1, 200);
const framesPerConnection = int('frames', 0, 1_000_000);
const ticksPerFrame = int('ticks-per-frame', 1, 120);
const gpus = int('gpus', 0, 16);
const windowSize = int('window', 1, 1024);
const runs = int('runs', 1, 20);
const offered = int('offered', 0, 10_000_000);
const offeredSeconds = int('seconds', 5, 3_600);

// --- the real codec, bundled from protocol/src ------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-ingest-'));
const fromCheckout = ['msgpackr', 'better-sqlite3', 'sqlite-vec'];
const checkoutUrls = Object.fromEntries(fromCheckout.map((name) => [name, import.meta.resolve(name)]));
await build({
  stdin: {
    contents: `export { encodeFrame, decodeFrame } from './protocol/src/codec.ts';
export { BatchBuilder, batchSampleCount } from './protocol/src/batch.ts';
export { series } from './protocol/src/series.ts';
export { PROTOCOL_VERSION } from './protocol/src/frames.ts';
export { Head } from './collector/src/store/head/head.ts';
export { openDatabase } from './collector/src/store/schema/sqlite-db.ts';
export { TokenStore } from './collector/src/auth/token-store.ts';`,
    resolveDir: root, sourcefile: 'bench-codec.ts', loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(work, 'codec.mjs'), logLevel: 'warning',
  // The same msgpackr (and native extension) and SQLite as the collector: resolved from the checkout, kept external.
  plugins: [{ name: 'from-checkout', setup: (b) => b.onResolve({ filter: /^(msgpackr|better-sqlite3|sqlite-vec)$/ }, (a) => ({ path: checkoutUrls[a.path], external: true })) }],
});
const codec = await import(pathToFileURL(join(work, 'codec.mjs')).href);

// --- helpers ----------------------------------------------------------------------------------
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

/** Bytes of the database files (main, WAL, shared memory). */
function dbFileBytes(dataDir) {
  let total = 0;
  for (const f of readdirSync(dataDir)) if (f.startsWith('sigmascope.db')) total += statSync(join(dataDir, f)).size;
  return total;
}

/** Bytes of the database file in use (pages not on the free list), after the collector stopped. */
function dbBytesInUse(dataDir) {
  const { db } = codec.openDatabase(dataDir);
  try {
    return (db.pragma('page_count', { simple: true }) - db.pragma('freelist_count', { simple: true })) * db.pragma('page_size', { simple: true });
  } finally {
    db.close();
  }
}

/** A data dir with a viewer token and `agents` agent tokens (written directly: faster than the CLI per token). */
function prepareDataDir(name, agents) {
  const dataDir = mkdtempSync(join(work, `${name}-`));
  const { db } = codec.openDatabase(dataDir);
  const store = new codec.TokenStore(db);
  const token = (n, role) => {
    const r = store.create(n, role);
    if (!r.ok) throw new Error(r.reason);
    return r.token;
  };
  const viewer = token('bench-viewer', 'viewer');
  const tokens = [];
  for (let c = 0; c < agents; c++) tokens.push(token(`bench-${c}`, 'agent'));
  db.close();
  return { dataDir, viewer, tokens, baseline: dbBytesInUse(dataDir), baselineFile: dbFileBytes(dataDir) };
}

/** Client → server WebSocket header: 2 bytes, the 4-byte mask, and the extended length. */
const wsHeaderBytes = (n) => 6 + (n > 65_535 ? 8 : n > 125 ? 2 : 0);

// --- the frames: one 2 Hz tick of a GPU host per tick, as the agent would seal them -----------

/** `count` frames of `ticks` ticks each, `stepMs` apart from `startTs` on, seqs from 1. */
function buildFrames(seriesList, count, startTs, ticks = ticksPerFrame, stepMs = 500) {
  const builder = new codec.BatchBuilder();
  const frames = [];
  let samples = 0;
  let wire = 0;
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < ticks; k++) {
      const ts = startTs + (i * ticks + k) * stepMs;
      for (let j = 0; j < seriesList.length; j++) builder.add(seriesList[j], ts, Math.round(Math.random() * 1e6) / 100);
    }
    samples += builder.sampleCount;
    const bytes = codec.encodeFrame(builder.seal(i + 1, startTs));
    wire += bytes.byteLength + wsHeaderBytes(bytes.byteLength);
    frames.push(bytes);
  }
  return { frames, samples, wire };
}

/**
 * One agent connection: hello, then `count` frames (`frameAt(i)`: the bytes of frame i, seq i + 1)
 * with at most `windowSize` unacknowledged: as fast as acks come (`sendAt` null), or frame i not
 * before `sendAt(i)` (performance.now() ms). `onAck(i, ms)` gets each frame's ack and the ms since
 * it was sent. Resolves when the last frame is acknowledged.
 */
function stream(port, token, name, count, frameAt, { sendAt = null, onAck = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ingest`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false, maxPayload: 1 << 20 });
    const sentAt = new Float64Array(count);
    let next = 0;
    let acked = 0;
    let timer = null;
    const pump = () => {
      while (next < count && next - acked < windowSize) {
        if (sendAt !== null && sendAt(next) > performance.now()) {
          if (timer === null) timer = setTimeout(() => ((timer = null), pump()), Math.max(0, sendAt(next) - performance.now()));
          return;
        }
        const bytes = frameAt(next);
        sentAt[next] = performance.now();
        ws.send(bytes);
        next++;
      }
    };
    ws.on('open', () => ws.send(codec.encodeFrame({ t: 'hello', proto: codec.PROTOCOL_VERSION, agentVersion: 'bench', bootId: `boot-${name}`, stream: name, hostname: name, clock: Date.now() })));
    ws.on('message', (data) => {
      const d = codec.decodeFrame(data);
      if (!d.ok) return reject(new Error(`undecodable collector frame: ${d.code}`));
      const f = d.frame;
      if (f.t === 'welcome') {
        if (f.lastSeq !== 0) return reject(new Error(`stream ${name} not fresh: lastSeq ${f.lastSeq}`));
        pump();
      } else if (f.t === 'ack') {
        if (f.dup) return reject(new Error(`unexpected duplicate ack ${f.seq}`));
        const now = performance.now();
        for (let i = acked; i < f.seq; i++) onAck(i, now - sentAt[i]);
        acked = Math.max(acked, f.seq);
        if (acked === count) {
          ws.close();
          resolve();
        } else pump();
      } else reject(new Error(`collector error: ${f.code} ${f.detail}`));
    });
    ws.on('error', reject);
    ws.on('close', (code) => (acked < count ? reject(new Error(`closed (${code}) after ${acked} acks`)) : undefined));
  });
}

/** decode (scan + msgpackr + validate) + the head append of the same frames, in this process: what the format and the in-memory append cost. */
function ceiling(frames) {
  const pass = () => {
    const head = new codec.Head();
    // One connection's series: ids 1…n and the slots its dictionary keeps, as in the collector.
    const slots = [];
    let ids = [];
    let samples = 0;
    for (const bytes of frames) {
      const d = codec.decodeFrame(bytes);
      if (!d.ok) throw new Error(`own frame rejected: ${d.code}`);
      const { t0, dt, n, v } = d.frame;
      if (ids.length !== n.length) ids = Array.from(n, (_, s) => s + 1);
      samples += head.appendFrame(ids, slots, t0, dt, new DataView(v.buffer, v.byteOffset, v.byteLength), n, 1);
    }
    return samples;
  };
  pass(); // warm-up: the collector's code is warm too
  const t = process.cpuUsage();
  let samples = 0;
  let usedS = 0;
  while (usedS < 2) {
    samples += pass();
    const u = process.cpuUsage(t);
    usedS = (u.user + u.system) / 1e6;
  }
  return samples / usedS;
}

const STAGES = { flush: ['flushSlice', 'chunked-store.ts'], hour_rollup: ['rollSlice', 'chunked-store.ts'], group_commit: ['commitQueued', 'ingest-server.ts'], decode: ['onMessage', 'ingest-server.ts'] };

async function startCollector(dataDir, profileDir) {
  const collector = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', dataDir], { NODE_OPTIONS: opts['node-options'] }, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
  const port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  return { collector, port };
}

/** The offered phase's transport floor (bench/support/ack-server.mjs), started like the collector. */
async function startAckServer() {
  const server = start(process.execPath, [join(root, 'bench', 'support', 'ack-server.mjs'), join(work, 'codec.mjs')], { NODE_OPTIONS: opts['node-options'] });
  const port = Number(await waitForOutput(server, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  return { collector: server, port };
}

async function getJson(port, path, viewer) {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${viewer}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

// --- throughput: every connection as fast as its window allows ------------------------------------
const seriesList = hostTickSeries(codec.series, gpus);
async function throughputRun(run) {
  const { dataDir, viewer, tokens, baseline, baselineFile } = prepareDataDir(`throughput-${run}`, connections);
  const startTs = Date.now() - framesPerConnection * ticksPerFrame * 500 - 60_000;
  const perConn = [];
  for (let c = 0; c < connections; c++) perConn.push(buildFrames(seriesList, framesPerConnection, startTs));
  const sent = perConn.reduce((a, p) => a + p.samples, 0);
  const wire = perConn.reduce((a, p) => a + p.wire, 0);

  const profileDir = opts.profile ? mkdtempSync(join(work, 'prof-')) : null;
  const { collector, port } = await startCollector(dataDir, profileDir);
  const stats = () => getJson(port, '/api/v1/stats', viewer);
  await sleep(500);
  const s0 = await stats();
  const cpu0 = cpuSeconds(collector.child.pid);
  const wall0 = performance.now();
  await Promise.all(perConn.map((p, c) => stream(port, tokens[c], `bench-${c}`, p.frames.length, (i) => p.frames[i])));
  const wallS = (performance.now() - wall0) / 1000;
  const cpuS = cpuSeconds(collector.child.pid) - cpu0;
  const s1 = await stats();
  const stored = s1.samples.stored - s0.samples.stored;
  if (stored !== sent) throw new Error(`stored ${stored} of ${sent} samples sent`);
  const framesPerCommit = (s1.frames.stored - s0.frames.stored) / Math.max(1, s1.frames.commits - s0.frames.commits);

  collector.child.kill('SIGTERM');
  await collector.exited;
  const disk = dbBytesInUse(dataDir) - baseline;
  const file = dbFileBytes(dataDir) - baselineFile;
  const ceil = ceiling(perConn[0].frames);
  const result = {
    samples_per_cpu_s: stored / cpuS, ceiling_samples_per_cpu_s: ceil, samples_per_wall_s: stored / wallS, collector_cpu_pct_of_core: (100 * cpuS) / wallS,
    bytes_per_sample_wire: wire / sent, bytes_per_sample_disk: disk / stored, bytes_per_sample_file: file / stored, frames_per_commit: framesPerCommit, samples: stored,
    profile: profileDir ? profileSummary(profileDir, STAGES) : undefined,
  };
  rmSync(dataDir, { recursive: true, force: true });
  process.stderr.write(`throughput ${run + 1}/${runs}: ${round(result.samples_per_cpu_s)} samples/CPU-s (ceiling ${round(ceil)}), ${round(framesPerCommit, 1)} frames/commit, ${round(result.bytes_per_sample_wire, 2)} B/sample wire, ${round(result.bytes_per_sample_disk, 1)} B/sample disk\n`);
  return result;
}

// --- offered load: agents sending live, one 1-tick frame per 500 ms ------------------------------
const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/** floor: the same agents against the ack server instead of the collector (CPU only). */
async function offeredRun(run, floor = false) {
  const agents = Math.max(1, Math.round(offered / seriesList.length / 2));
  const { dataDir, viewer, tokens } = prepareDataDir(`offered-${run}`, agents);
  const warmupS = 5;
  const frameCount = (warmupS + offeredSeconds) * 2;
  const profileDir = opts.profile && !floor ? mkdtempSync(join(work, 'prof-')) : null;
  const { collector, port } = floor ? await startAckServer() : await startCollector(dataDir, profileDir);
  // Each agent ticks every 500 ms at its own phase and seals the tick's frame as it sends it.
  const t0 = performance.now() + 1_000 + agents * 2;
  const phase = (a) => (500 * a) / agents;
  const builder = new codec.BatchBuilder();
  const tickOf = [];
  let wire = 0;
  const frameAt = (a) => (i) => {
    const ts = Date.now();
    if (a === 0) tickOf[i] = ts;
    for (const s of seriesList) builder.add(s, ts, Math.round(Math.random() * 1e6) / 100);
    const bytes = codec.encodeFrame(builder.seal(i + 1, ts));
    wire += bytes.byteLength + wsHeaderBytes(bytes.byteLength);
    return bytes;
  };
  const sent = agents * frameCount * seriesList.length;
  const latencies = [];
  const probes = [];
  const measureFrom = warmupS * 2;
  // A probe: right after the ack, the frame's sample is in the API's answer.
  const probe = async (ts) => {
    const body = await getJson(port, `/api/v1/series?name=system.memory.utilization&agent=bench-0&from=${ts}&to=${ts}`, viewer);
    return body.series.some((s) => s.points.some(([t]) => t === ts));
  };
  const onAck = (a) => (i, ms) => {
    if (i < measureFrom) return;
    latencies.push(ms);
    if (a === 0 && i % 4 === 0 && !floor) probes.push(probe(tickOf[i]));
  };
  let cpuAtWarm = null;
  let splitAtWarm = null;
  let wallAtWarm = null;
  const warm = setTimeout(() => {
    cpuAtWarm = cpuSeconds(collector.child.pid);
    splitAtWarm = cpuSplit(collector.child.pid);
    wallAtWarm = performance.now();
  }, t0 + warmupS * 1000 - performance.now());
  await Promise.all(tokens.map((token, a) => stream(port, token, `bench-${a}`, frameCount, frameAt(a), { sendAt: (i) => t0 + phase(a) + i * 500, onAck: onAck(a) })));
  clearTimeout(warm);
  const cpuS = cpuSeconds(collector.child.pid) - cpuAtWarm;
  const split = cpuSplit(collector.child.pid);
  const wallS = (performance.now() - wallAtWarm) / 1000;
  const found = await Promise.all(probes);
  if (floor) {
    collector.child.kill('SIGTERM');
    await collector.exited;
    rmSync(dataDir, { recursive: true, force: true });
    const floorPct = (100 * cpuS) / wallS;
    process.stderr.write(`transport floor ${run + 1}/${runs}: the ack server ${round(floorPct, 1)} % of a core for the same agents\n`);
    return { floor_cpu_pct_of_core: floorPct };
  }
  const stats = await getJson(port, '/api/v1/stats', viewer);
  const stored = stats.samples.stored;
  collector.child.kill('SIGTERM');
  await collector.exited;
  rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((x, y) => x - y);
  const result = {
    offered_samples_per_s: sent / (frameCount / 2), agents, frames_per_commit: stats.frames.stored / stats.frames.commits,
    collector_user_pct_of_core: (100 * (split.user - splitAtWarm.user)) / wallS, collector_system_pct_of_core: (100 * (split.system - splitAtWarm.system)) / wallS, collector_cpu_pct_of_core: (100 * cpuS) / wallS, lost: sent - stored, bytes_per_sample_wire: wire / sent,
    queryable_p50_ms: percentile(latencies, 50), queryable_p99_ms: percentile(latencies, 99), queryable_max_ms: latencies[latencies.length - 1],
    probes: found.length, probes_not_queryable: found.filter((f) => !f).length,
    profile: profileDir ? profileSummary(profileDir, STAGES) : undefined,
  };
  process.stderr.write(`offered ${run + 1}/${runs}: ${round(result.offered_samples_per_s)} samples/s from ${agents} agents: collector ${round(result.collector_cpu_pct_of_core, 1)} % of a core, lost ${result.lost}, queryable p50 ${round(result.queryable_p50_ms, 1)} ms p99 ${round(result.queryable_p99_ms, 1)} ms, ${result.probes_not_queryable}/${result.probes} probes not queryable\n`);
  return result;
}

const throughput = [];
const live = [];
try {
  if (framesPerConnection > 0) for (let r = 0; r < runs; r++) throughput.push(await throughputRun(r));
  if (offered > 0) for (let r = 0; r < runs; r++) live.push({ ...(await offeredRun(r)), ...(await offeredRun(r, true)) });
} finally {
  rmSync(work, { recursive: true, force: true });
}
const med = (results, k, d = 0) => (results.length === 0 ? null : round(median(results.map((r) => r[k])), d));
process.stdout.write(`${JSON.stringify({
  samples_per_cpu_s: med(throughput, 'samples_per_cpu_s'),
  ceiling_samples_per_cpu_s: med(throughput, 'ceiling_samples_per_cpu_s'),
  ratio: throughput.length === 0 ? null : round(median(throughput.map((r) => r.samples_per_cpu_s / r.ceiling_samples_per_cpu_s)), 3),
  bytes_per_sample_wire: med(throughput, 'bytes_per_sample_wire', 2),
  bytes_per_sample_disk: med(throughput, 'bytes_per_sample_disk', 1),
  bytes_per_sample_file: med(throughput, 'bytes_per_sample_file', 1),
  frames_per_commit: med(throughput, 'frames_per_commit', 1),
  samples_per_wall_s: med(throughput, 'samples_per_wall_s'),
  throughput_collector_cpu_pct_of_core: med(throughput, 'collector_cpu_pct_of_core', 1),
  offered_samples_per_s: med(live, 'offered_samples_per_s'),
  offered_collector_cpu_pct_of_core: med(live, 'collector_cpu_pct_of_core', 1),
  offered_transport_floor_cpu_pct_of_core: med(live, 'floor_cpu_pct_of_core', 1),
  offered_frames_per_commit: med(live, 'frames_per_commit', 2),
  offered_collector_user_pct: med(live, 'collector_user_pct_of_core', 1),
  offered_collector_system_pct: med(live, 'collector_system_pct_of_core', 1),
  offered_lost_samples: live.length === 0 ? null : Math.max(...live.map((r) => r.lost)),
  queryable_p50_ms: med(live, 'queryable_p50_ms', 1),
  queryable_p99_ms: med(live, 'queryable_p99_ms', 1),
  probes_not_queryable: live.length === 0 ? null : live.reduce((a, r) => a + r.probes_not_queryable, 0),
  targets: { samples_per_cpu_s: 1_000_000, ratio: 0.8, offered_collector_cpu_pct_of_core: 15, queryable_p99_ms: 150 },
  setup: {
    connections, frames_per_connection: framesPerConnection, samples_per_frame: seriesList.length * ticksPerFrame, gpus, window: windowSize, runs,
    offered, offered_seconds: offeredSeconds, offered_agents: live[0]?.agents ?? null, collector_node_options: opts['node-options'],
  },
  runs: {
    throughput: throughput.map((r) => ({ samples_per_cpu_s: round(r.samples_per_cpu_s), ceiling_samples_per_cpu_s: round(r.ceiling_samples_per_cpu_s), frames_per_commit: round(r.frames_per_commit, 1) })),
    offered: live.map((r) => ({ collector_cpu_pct_of_core: round(r.collector_cpu_pct_of_core, 2), transport_floor_cpu_pct_of_core: round(r.floor_cpu_pct_of_core, 2), queryable_p99_ms: round(r.queryable_p99_ms, 1), queryable_max_ms: round(r.queryable_max_ms, 1), lost: r.lost, probes: r.probes })),
  },
  ...(opts.profile && throughput.length > 0 ? { collector_profile: throughput[throughput.length - 1].profile } : {}),
  ...(opts.profile && live.length > 0 ? { offered_collector_profile: live[live.length - 1].profile } : {}),
}, null, 2)}\n`);
