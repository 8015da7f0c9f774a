// Ingest throughput: a load generator speaking the real protocol (the codec of protocol/src,
// bundled with esbuild at start) to a real collector process, over N WebSocket connections, each
// its own agent token and stream, with the agent's in-flight window. Frames are built and encoded
// before the clock starts: the bench measures the collector, not itself.
//
// Prints JSON: samples stored per collector CPU-second (utime+stime from /proc/PID/stat), the
// ceiling of the same frames through decode + validate + readBatch in this process (same run),
// their ratio, bytes per sample on the wire (frame + WebSocket header) and on disk (database
// growth after a clean stop). Medians of --runs runs, each with a fresh collector.
//
// Usage: node bench/ingest.mjs [--connections 8] [--frames 1500] [--ticks-per-frame 1]
//                              [--gpus 8] [--window 8] [--runs 3] [--profile]
//   --profile  also runs the collector under --cpu-prof and prints its top functions by self time
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SourceMap } from 'node:module';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { cpuSeconds, median, ROOT, runCli, sleep, startCli, waitForOutput } from './support/processes.mjs';

const root = ROOT;

function usage(message) {
  process.stderr.write(`bench/ingest.mjs: ${message}\n`);
  process.exit(2);
}
let opts;
try {
  opts = parseArgs({
    options: {
      connections: { type: 'string', default: '8' }, frames: { type: 'string', default: '1500' }, 'ticks-per-frame': { type: 'string', default: '1' },
      gpus: { type: 'string', default: '8' }, window: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false },
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
const framesPerConnection = int('frames', 10, 1_000_000);
const ticksPerFrame = int('ticks-per-frame', 1, 120);
const gpus = int('gpus', 0, 16);
const windowSize = int('window', 1, 1024);
const runs = int('runs', 1, 20);

// --- the real codec, bundled from protocol/src ------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-ingest-'));
const msgpackrUrl = import.meta.resolve('msgpackr');
await build({
  stdin: {
    contents: `export { encodeFrame, decodeFrame } from './protocol/src/codec.ts';
export { BatchBuilder, readBatch, batchSampleCount } from './protocol/src/batch.ts';
export { series } from './protocol/src/series.ts';
export { PROTOCOL_VERSION } from './protocol/src/frames.ts';`,
    resolveDir: root, sourcefile: 'bench-codec.ts', loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(work, 'codec.mjs'), logLevel: 'warning',
  // The same msgpackr (and native extension) as the collector: resolved from the checkout, kept external.
  plugins: [{ name: 'msgpackr-from-checkout', setup: (b) => b.onResolve({ filter: /^msgpackr$/ }, () => ({ path: msgpackrUrl, external: true })) }],
});
const codec = await import(pathToFileURL(join(work, 'codec.mjs')).href);

// --- helpers ----------------------------------------------------------------------------------
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

function dbBytes(dataDir) {
  let total = 0;
  for (const f of readdirSync(dataDir)) if (f.startsWith('sigmascope.db')) total += statSync(join(dataDir, f)).size;
  return total;
}
/** Client → server WebSocket header: 2 bytes, the 4-byte mask, and the extended length. */
const wsHeaderBytes = (n) => 6 + (n > 65_535 ? 8 : n > 125 ? 2 : 0);

// --- the frames: one 2 Hz tick of a GPU host per tick, as the agent would seal them -----------
function hostTickSeries() {
  const s = [];
  for (const state of ['user', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal']) s.push(codec.series('system.cpu.utilization', { 'cpu.mode': state }));
  for (const state of ['used', 'free', 'cached', 'buffered']) s.push(codec.series('system.memory.usage', { 'system.memory.state': state }));
  s.push(codec.series('system.memory.utilization'));
  for (const dev of ['eth0', 'eth1', 'ib0', 'ib1']) for (const dir of ['receive', 'transmit']) s.push(codec.series('system.network.io', { 'network.interface.name': dev, 'network.io.direction': dir }));
  for (const dev of ['nvme0n1', 'nvme1n1']) for (const dir of ['read', 'write']) s.push(codec.series('system.disk.io', { 'system.device': dev, 'disk.io.direction': dir }));
  for (const w of ['1m', '5m', '15m']) s.push(codec.series('system.cpu.load_average', { window: w }));
  for (let g = 0; g < gpus; g++) {
    const id = `GPU-${String(g).padStart(2, '0')}1f7c2a-9d3e-4b6f-8a1c-${String(g).padStart(12, '0')}`;
    for (const m of ['hw.gpu.utilization', 'hw.gpu.memory.usage', 'hw.gpu.memory.limit', 'hw.gpu.memory.utilization', 'hw.gpu.temperature', 'hw.gpu.power.draw', 'hw.gpu.clock.graphics', 'hw.gpu.clock.memory', 'hw.errors']) {
      s.push(codec.series(m, { 'hw.id': id, 'hw.type': 'gpu' }));
    }
  }
  return s;
}

function buildFrames(seriesList, count, startTs) {
  const builder = new codec.BatchBuilder();
  const frames = [];
  let samples = 0;
  let wire = 0;
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < ticksPerFrame; k++) {
      const ts = startTs + (i * ticksPerFrame + k) * 500;
      for (let j = 0; j < seriesList.length; j++) builder.add(seriesList[j], ts, Math.round(Math.random() * 1e6) / 100);
    }
    samples += builder.sampleCount;
    const bytes = codec.encodeFrame(builder.seal(i + 1, startTs));
    wire += bytes.byteLength + wsHeaderBytes(bytes.byteLength);
    frames.push(bytes);
  }
  return { frames, samples, wire };
}

/** One agent connection: hello, then every frame with at most `windowSize` unacknowledged. */
function streamAll(port, token, stream, frames) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ingest`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false, maxPayload: 1 << 20 });
    let next = 0;
    let acked = 0;
    const pump = () => {
      while (next < frames.length && next - acked < windowSize) ws.send(frames[next++]);
    };
    ws.on('open', () => ws.send(codec.encodeFrame({ t: 'hello', proto: codec.PROTOCOL_VERSION, agentVersion: 'bench', bootId: `boot-${stream}`, stream, hostname: stream, clock: Date.now() })));
    ws.on('message', (data) => {
      const d = codec.decodeFrame(data);
      if (!d.ok) return reject(new Error(`undecodable collector frame: ${d.code}`));
      const f = d.frame;
      if (f.t === 'welcome') {
        if (f.lastSeq !== 0) return reject(new Error(`stream ${stream} not fresh: lastSeq ${f.lastSeq}`));
        pump();
      } else if (f.t === 'ack') {
        if (f.dup) return reject(new Error(`unexpected duplicate ack ${f.seq}`));
        acked = Math.max(acked, f.seq);
        if (acked === frames.length) {
          ws.close();
          resolve();
        } else pump();
      } else reject(new Error(`collector error: ${f.code} ${f.detail}`));
    });
    ws.on('error', reject);
    ws.on('close', (code) => (acked < frames.length ? reject(new Error(`closed (${code}) after ${acked} acks`)) : undefined));
  });
}

/** decode + validate + readBatch of the same frames, in this process: what the format costs. */
function ceiling(frames) {
  const pass = () => {
    let samples = 0;
    for (const bytes of frames) {
      const d = codec.decodeFrame(bytes);
      if (!d.ok) throw new Error(`own frame rejected: ${d.code}`);
      for (const s of codec.readBatch(d.frame)) samples += s.values.length;
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

/**
 * The collector's self time from its CPU profile, by function and by source file, mapped back
 * through dist/'s source maps to the TypeScript that runs (dependencies by package).
 */
function profileSummary(profileDir) {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return null;
  const prof = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
  const maps = new Map();
  const mapFor = (url) => {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
      } catch {
        maps.set(url, null);
      }
    }
    return maps.get(url);
  };
  const byFn = new Map();
  const byFile = new Map();
  let total = 0;
  for (const n of prof.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let where = url === '' ? (functionName.startsWith('(') ? functionName : `(native ${functionName})`) : url;
    let line = lineNumber + 1;
    if (url.startsWith('file:')) {
      const entry = url.includes('/dist/') ? mapFor(url)?.findEntry(lineNumber, columnNumber) : undefined;
      if (entry?.originalSource) {
        where = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^.*?\/(protocol|agent|collector|web|cli)\//, '$1/');
        line = entry.originalLine + 1;
      } else where = fileURLToPath(url).replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, 'node_modules/$1');
    } else if (url.startsWith('node:')) where = 'node internals';
    const fnKey = url === '' ? where : `${functionName || '(anonymous)'} ${where}:${line}`;
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + n.hitCount);
    byFile.set(where, (byFile.get(where) ?? 0) + n.hitCount);
    total += n.hitCount;
  }
  const top = (m, k) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => ({ name, pct: round((100 * hits) / total, 1) }));
  return { by_file: top(byFile, 15), by_function: top(byFn, 15) };
}

// --- one run ------------------------------------------------------------------------------------
const seriesList = hostTickSeries();
async function oneRun(run) {
  const dataDir = mkdtempSync(join(work, `collector-${run}-`));
  const viewer = runCli(['token', 'create', 'bench-viewer', '--role', 'viewer', '--data', dataDir]);
  const tokens = [];
  for (let c = 0; c < connections; c++) tokens.push(runCli(['token', 'create', `bench-${c}`, '--data', dataDir]));
  const baseline = dbBytes(dataDir);

  const startTs = Date.now() - framesPerConnection * ticksPerFrame * 500 - 60_000;
  const perConn = [];
  for (let c = 0; c < connections; c++) perConn.push(buildFrames(seriesList, framesPerConnection, startTs));
  const sent = perConn.reduce((a, p) => a + p.samples, 0);
  const wire = perConn.reduce((a, p) => a + p.wire, 0);

  const profileDir = opts.profile ? mkdtempSync(join(work, 'prof-')) : null;
  const collector = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', dataDir], {}, profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []);
  const port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  const stats = async () => (await (await fetch(`http://127.0.0.1:${port}/api/v1/stats`, { headers: { authorization: `Bearer ${viewer}` } })).json()).samples.stored;
  await sleep(500);
  const stored0 = await stats();
  const cpu0 = cpuSeconds(collector.child.pid);
  const wall0 = performance.now();
  await Promise.all(perConn.map((p, c) => streamAll(port, tokens[c], `bench-${c}`, p.frames)));
  const wallS = (performance.now() - wall0) / 1000;
  const cpuS = cpuSeconds(collector.child.pid) - cpu0;
  const stored = (await stats()) - stored0;
  if (stored !== sent) throw new Error(`stored ${stored} of ${sent} samples sent`);

  collector.child.kill('SIGTERM');
  await collector.exited;
  const disk = dbBytes(dataDir) - baseline;
  const ceil = ceiling(perConn[0].frames);
  const result = {
    samples_per_cpu_s: stored / cpuS, ceiling_samples_per_cpu_s: ceil, samples_per_wall_s: stored / wallS, collector_cpu_pct_of_core: (100 * cpuS) / wallS,
    bytes_per_sample_wire: wire / sent, bytes_per_sample_disk: disk / stored, samples: stored,
    profile: profileDir ? profileSummary(profileDir) : undefined,
  };
  rmSync(dataDir, { recursive: true, force: true });
  process.stderr.write(`run ${run + 1}/${runs}: ${round(result.samples_per_cpu_s)} samples/CPU-s (ceiling ${round(ceil)}), ${round(result.bytes_per_sample_wire, 2)} B/sample wire, ${round(result.bytes_per_sample_disk, 1)} B/sample disk\n`);
  return result;
}

const results = [];
try {
  for (let r = 0; r < runs; r++) results.push(await oneRun(r));
} finally {
  rmSync(work, { recursive: true, force: true });
}
const med = (k, d = 0) => round(median(results.map((r) => r[k])), d);
const samplesPerFrame = seriesList.length * ticksPerFrame;
process.stdout.write(`${JSON.stringify({
  samples_per_cpu_s: med('samples_per_cpu_s'),
  ceiling_samples_per_cpu_s: med('ceiling_samples_per_cpu_s'),
  ratio: round(median(results.map((r) => r.samples_per_cpu_s / r.ceiling_samples_per_cpu_s)), 3),
  bytes_per_sample_wire: med('bytes_per_sample_wire', 2),
  bytes_per_sample_disk: med('bytes_per_sample_disk', 1),
  samples_per_wall_s: med('samples_per_wall_s'),
  collector_cpu_pct_of_core: med('collector_cpu_pct_of_core', 1),
  target_samples_per_cpu_s: 1_000_000,
  setup: { connections, frames_per_connection: framesPerConnection, samples_per_frame: samplesPerFrame, gpus, window: windowSize, runs, samples_per_run: results[0].samples },
  runs: results.map((r) => ({ samples_per_cpu_s: round(r.samples_per_cpu_s), ceiling_samples_per_cpu_s: round(r.ceiling_samples_per_cpu_s) })),
  ...(opts.profile ? { collector_top_self_time: results[results.length - 1].profile } : {}),
}, null, 2)}\n`);
