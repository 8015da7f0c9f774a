// Collector memory at the series caps: a real collector process (`sigmascope collector`, the
// built CLI, default caps unless --per-agent / --total are given) is flooded with new series as
// issue 11 found it: frames of 16,384 new series, one sample each, from as many agent tokens as
// it takes to reach the total cap, then --beyond more such frames from a fresh token (all
// refused). Prints the collector's RSS (VmRSS, MiB) idle, at the cap, after the refused frames,
// and after a restart on the same data, with the series stored and the samples refused.
//
// Usage: node bench/series-cap-memory.mjs [--per-agent N] [--total N] [--beyond 30]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { benchOptions } from './support/options.mjs';
import { ROOT, runCli, sleep, startCli, stopProc, waitForOutput } from './support/processes.mjs';

const { int: optInt } = benchOptions('series-cap-memory.mjs', { 'per-agent': { type: 'string' }, total: { type: 'string' }, beyond: { type: 'string', default: '30' } });
const perAgentOpt = optInt('per-agent', 1, 10_000_000);
const totalOpt = optInt('total', 1, 100_000_000);
const beyond = optInt('beyond', 0, 1_000);
const SERIES_PER_FRAME = 16_384;

const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-series-'));
await build({
  stdin: {
    contents: `export { encodeFrame, decodeFrame } from './protocol/src/codec.ts';
export { BatchBuilder } from './protocol/src/batch.ts';
export { series } from './protocol/src/series.ts';
export { DEFAULT_SERIES_LIMITS } from './collector/src/ingest/series-admission.ts';`,
    resolveDir: ROOT, sourcefile: 'bench-series.ts', loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(work, 'codec.mjs'), logLevel: 'warning',
  plugins: [{ name: 'from-checkout', setup: (b) => b.onResolve({ filter: /^msgpackr$/ }, () => ({ path: import.meta.resolve('msgpackr'), external: true })) }],
});
const codec = await import(pathToFileURL(join(work, 'codec.mjs')).href);
const perAgent = perAgentOpt ?? codec.DEFAULT_SERIES_LIMITS.maxPerAgent;
const total = totalOpt ?? codec.DEFAULT_SERIES_LIMITS.maxTotal;

const dataDir = join(work, 'collector');
const configFile = join(work, 'collector.json');
writeFileSync(configFile, JSON.stringify({ ingest: { maxSeriesPerAgent: perAgent, maxSeries: total } }));
const viewer = runCli(['token', 'create', 'bench-viewer', '--role', 'viewer', '--data', dataDir]);

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const round = (x) => Math.round(x * 10) / 10;

async function startCollector() {
  const proc = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', dataDir, '--config', configFile]);
  const port = Number(await waitForOutput(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  return { proc, port };
}
async function stats(port) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/stats`, { headers: { authorization: `Bearer ${viewer}` } });
  return res.json();
}
/** RSS after the collector has settled (a few readings a second apart, the last one). */
async function settledRss(pid) {
  let last = rssMiB(pid);
  for (let i = 0; i < 5; i++) {
    await sleep(1_000);
    last = rssMiB(pid);
  }
  return round(last);
}

/** Sends `frames` frames of new series over one connection, each after the previous one's answer. */
async function flood(port, name, frames, firstSeries) {
  const token = runCli(['token', 'create', name, '--data', dataDir]);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ingest`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const answers = [];
  let waiting = null;
  ws.on('message', (data) => {
    answers.push(codec.decodeFrame(data));
    waiting?.();
  });
  const next = () => new Promise((resolve) => (waiting = resolve));
  ws.send(codec.encodeFrame({ t: 'hello', proto: 1, agentVersion: 'bench', bootId: 'b', stream: name, hostname: name, clock: Date.now() }));
  await next();
  let id = firstSeries;
  for (let f = 1; f <= frames; f++) {
    const b = new codec.BatchBuilder();
    const now = Date.now();
    for (let i = 0; i < SERIES_PER_FRAME; i++) b.add(codec.series('flood.metric', { i: String(id++) }), now, i);
    ws.send(codec.encodeFrame(b.seal(f, now)));
    await next();
  }
  ws.close();
  return answers;
}

let c = await startCollector();
const result = { perAgent, total, seriesPerFrame: SERIES_PER_FRAME };
try {
  result.idleRssMiB = await settledRss(c.proc.child.pid);
  const framesPerAgent = Math.ceil(perAgent / SERIES_PER_FRAME);
  let agents = 0;
  let next = 0;
  while ((await stats(c.port)).series.stored < total) {
    await flood(c.port, `flood-${agents++}`, framesPerAgent, next);
    next += framesPerAgent * SERIES_PER_FRAME;
  }
  let s = await stats(c.port);
  result.atCap = { agents, seriesStored: s.series.stored, samplesRefused: s.samples.refusedSinceStart, rssMiB: await settledRss(c.proc.child.pid) };
  await flood(c.port, 'flood-beyond', beyond, next);
  s = await stats(c.port);
  result.afterRefusedFrames = { frames: beyond, seriesStored: s.series.stored, samplesRefused: s.samples.refusedSinceStart, rssMiB: await settledRss(c.proc.child.pid) };
  await stopProc(c.proc);
  c = await startCollector();
  s = await stats(c.port);
  result.afterRestart = { seriesStored: s.series.stored, rssMiB: await settledRss(c.proc.child.pid) };
} finally {
  await stopProc(c.proc);
  rmSync(work, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));
