// Agent memory over a long run: does it level off? Two real agents (`sigmascope agent`, the built
// CLI, with the systemd unit's NODE_OPTIONS and the stand-in nvidia-smi replaying --gpus GPUs)
// run side by side for --minutes: one streaming to a real collector, one with no collector
// (everything stays in its buffer). Every --every seconds it reads, per agent:
//   rss, anonymous  /proc/PID/smaps_rollup (Rss, Anonymous): anonymous memory is the JS heap,
//                   native allocations and thread stacks; what is not anonymous is mapped files
//   lmdb            the Rss of the buffer.mdb mapping in /proc/PID/smaps (LMDB's pages: they
//                   grow with the data kept, and the kernel may reclaim them)
//   heapUsed        process.memoryUsage().heapUsed, from the agent's /api/status
// and prints, per agent, the readings at each tenth of the run, the least-squares slope of each
// over the second half (MiB per hour; near 0 = levelled off) and the lowest heapUsed of each
// tenth (a GC-independent view of the heap). Readings also go to --out as JSON lines.
//
// Usage: node bench/agent-memory.mjs [--minutes 60] [--every 15] [--gpus 8] [--out FILE]
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchOptions } from './support/options.mjs';
import { ROOT, runCli, sleep, startCli, stopProc, waitForOutput } from './support/processes.mjs';

const { values: opts, int } = benchOptions('agent-memory.mjs', { minutes: { type: 'string', default: '60' }, every: { type: 'string', default: '15' }, gpus: { type: 'string', default: '8' }, out: { type: 'string' } });
const minutes = int('minutes', 1, 24 * 60);
const every = int('every', 1, 600);
const gpus = int('gpus', 0, 64);
const out = opts.out ?? null;
if (out !== null) writeFileSync(out, '');

const MiB = 2 ** 20;
const unit = readFileSync(join(ROOT, 'install', 'sigmascope-agent.service'), 'utf8');
const nodeOptions = /^Environment=NODE_OPTIONS=(.*)$/m.exec(unit)?.[1]?.trim() ?? '';
const gpuEnv = gpus > 0 ? { PATH: `${join(ROOT, 'tests', 'support', 'bin')}:${process.env.PATH}`, SIGMASCOPE_FAKE_GPUS: String(gpus) } : {};

/** kB fields of /proc/PID/smaps_rollup, in bytes. */
function rollup(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: field('Rss'), anonymous: field('Anonymous') };
}

/** Rss of the mappings of files whose path ends with `suffix`, in bytes. */
function mappedRss(pid, suffix) {
  let total = 0;
  let inside = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inside = line.trimEnd().endsWith(suffix);
    else if (inside && line.startsWith('Rss:')) total += Number(/(\d+) kB/.exec(line)[1]) * 1024;
  }
  return total;
}

async function reading(agent, t0) {
  const status = await (await fetch(`http://127.0.0.1:${agent.statusPort}/api/status`)).json();
  const pid = agent.proc.child.pid;
  return { agent: agent.name, minute: (Date.now() - t0) / 60_000, ...rollup(pid), lmdb: mappedRss(pid, 'buffer.mdb'), heapUsed: status.memory.heapUsed, bufferFrames: status.buffer.frames, produced: status.samples.produced };
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const dirs = [];
const tmp = (p) => (dirs.push(mkdtempSync(join(tmpdir(), p))), dirs.at(-1));
const collectorDir = tmp('sigmascope-bench-mem-c-');
const collector = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', collectorDir]);
const agents = [];
try {
  const port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  const token = runCli(['token', 'create', 'mem-connected', '--data', collectorDir]);
  for (const [name, connected] of [['connected', true], ['disconnected', false]]) {
    const args = ['agent', '--data', tmp(`sigmascope-bench-mem-${name}-`), '--status-port', '0', '--name', name];
    if (connected) args.push('--collector', `ws://127.0.0.1:${port}/ingest`);
    const proc = startCli(args, { ...gpuEnv, NODE_OPTIONS: nodeOptions, ...(connected ? { SIGMASCOPE_TOKEN: token } : {}) });
    const statusPort = Number(await waitForOutput(proc, /status page on http:\/\/127\.0\.0\.1:(\d+)/));
    agents.push({ name, proc, statusPort, readings: [] });
  }
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  while (Date.now() < end) {
    for (const a of agents) {
      const r = await reading(a, t0);
      a.readings.push(r);
      if (out !== null) appendFileSync(out, `${JSON.stringify(r)}\n`);
    }
    await sleep(Math.min(every * 1000, Math.max(0, end - Date.now())));
  }
  const result = { minutes, gpus, nodeOptions, agents: {} };
  for (const a of agents) {
    const rs = a.readings;
    const tenth = (k) => rs[Math.min(rs.length - 1, Math.round((k / 10) * (rs.length - 1)))];
    const mib = (x) => Math.round((x / MiB) * 10) / 10;
    const second = rs.slice(Math.floor(rs.length / 2));
    const perHour = (key) => Math.round(slope(second.map((r) => r.minute), second.map((r) => r[key] / MiB)) * 60 * 100) / 100;
    const minHeap = [];
    for (let k = 0; k < 10; k++) {
      const part = rs.filter((r) => r.minute >= (k * minutes) / 10 && r.minute < ((k + 1) * minutes) / 10);
      if (part.length > 0) minHeap.push(mib(Math.min(...part.map((r) => r.heapUsed))));
    }
    result.agents[a.name] = {
      at: Array.from({ length: 11 }, (_, k) => tenth(k)).map((r) => ({ minute: Math.round(r.minute * 10) / 10, rss: mib(r.rss), anonymous: mib(r.anonymous), lmdb: mib(r.lmdb), heapUsed: mib(r.heapUsed), bufferFrames: r.bufferFrames })),
      slopeSecondHalfMiBPerHour: { rss: perHour('rss'), anonymous: perHour('anonymous'), lmdb: perHour('lmdb'), heapUsed: perHour('heapUsed') },
      lowestHeapUsedPerTenth: minHeap,
    };
  }
  // One reading per line, so the table reads down the page.
  console.log(JSON.stringify(result, (key, value) => (key === 'at' ? value.map((r) => JSON.stringify(r)) : value), 2).replace(/"(\{.*\})"/g, (_, r) => r.replaceAll('\\"', '"')));
} finally {
  for (const a of agents) await stopProc(a.proc);
  await stopProc(collector);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
