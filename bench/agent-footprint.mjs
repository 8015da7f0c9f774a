// Agent footprint at 2 Hz: a real collector and a real agent (`sigmascope agent`, the built CLI)
// with the stand-in nvidia-smi of tests/support/bin replaying --gpus GPUs, run for a warm-up and
// then measured. The agent's link to the collector passes through a byte-counting TCP relay in
// this process, so "bytes per sample" is what crossed the wire (WebSocket framing included).
//
// Prints JSON, medians of --runs runs:
//   agent CPU % of one core (utime+stime deltas from /proc/PID/stat), and separately the CPU of
//   its child processes (the nvidia-smi stand-in; children that exited, via cutime+cstime);
//   RSS in MB (median and max of 1 s readings of /proc/PID/status VmRSS);
//   samples/s produced; bytes per sample on the wire;
//   the ceiling for comparison, measured in the same run: an otherwise idle `node -e` process
//   waking at 2 Hz (what any Node process costs before it does any work).
// The agent runs with the NODE_OPTIONS of the systemd unit (install/sigmascope-agent.service),
// as an installed agent does; --node-options replaces them ('' for Node's defaults).
//
// Usage: node bench/agent-footprint.mjs [--seconds 60] [--warmup 10] [--runs 3] [--gpus 8] [--node-options OPTS]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, median, ROOT, runCli, sleep, start, stopProc, TICKS_PER_SECOND, waitForOutput } from './support/processes.mjs';

const root = ROOT;
const cli = CLI;
const fakeBin = join(root, 'tests', 'support', 'bin');

function usage(message) {
  process.stderr.write(`bench/agent-footprint.mjs: ${message}\n`);
  process.exit(2);
}
let opts;
try {
  opts = parseArgs({ options: { seconds: { type: 'string', default: '60' }, warmup: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' }, gpus: { type: 'string', default: '8' }, 'node-options': { type: 'string' } } }).values;
} catch (err) {
  usage(err.message);
}
const int = (name, min, max) => {
  const v = Number(opts[name]);
  if (!Number.isInteger(v) || v < min || v > max) usage(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(opts[name])}`);
  return v;
};
const seconds = int('seconds', 5, 3600);
const warmup = int('warmup', 0, 600);
const runs = int('runs', 1, 20);
let gpus = int('gpus', 0, 64);
if (gpus > 0 && !existsSync(join(fakeBin, 'nvidia-smi'))) {
  process.stderr.write(`bench/agent-footprint.mjs: ${join('tests', 'support', 'bin', 'nvidia-smi')} is missing: measuring without GPUs\n`);
  gpus = 0;
}

/** The NODE_OPTIONS the systemd unit starts the agent with; '' when it sets none. */
function unitNodeOptions() {
  const unit = readFileSync(join(root, 'install', 'sigmascope-agent.service'), 'utf8');
  return /^Environment=NODE_OPTIONS=(.*)$/m.exec(unit)?.[1]?.trim() ?? '';
}
const nodeOptions = opts['node-options'] ?? unitNodeOptions();

const round = (x, d) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** utime, stime, cutime, cstime (clock ticks), ppid and comm of a process; null once it is gone. */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { comm, ppid: Number(f[1]), self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
/** Every live descendant of `pid` with its CPU ticks. */
function descendants(pid) {
  const byParent = new Map();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = procStat(Number(e));
    if (s) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), { pid: Number(e), ...s }]);
  }
  const out = [];
  const walk = (p) => {
    for (const c of byParent.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}


/** A TCP relay to `port` that counts the bytes the client sends upstream. */
function byteCountingRelay(port) {
  const counts = { up: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.on('data', (d) => (counts.up += d.length));
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, counts, close: () => new Promise((r) => server.close(() => r())) })));
}

async function oneRun(run) {
  const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-agent-'));
  const collectorData = join(work, 'collector');
  const agentToken = runCli(['token', 'create', 'footprint', '--data', collectorData]);
  const collector = start(process.execPath, [cli, 'collector', '--listen', '127.0.0.1', '--port', '0', '--data', collectorData]);
  const collectorPort = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  const relay = await byteCountingRelay(collectorPort);

  const gpuEnv = gpus > 0 ? { PATH: `${fakeBin}:${process.env.PATH}`, SIGMASCOPE_FAKE_GPUS: String(gpus) } : {};
  const agent = start(process.execPath, [cli, 'agent', '--collector', `ws://127.0.0.1:${relay.port}/ingest`, '--data', join(work, 'agent'), '--status-port', '0', '--name', 'footprint'], {
    SIGMASCOPE_TOKEN: agentToken, NODE_OPTIONS: nodeOptions, ...gpuEnv,
  });
  const statusPort = Number(await waitForOutput(agent, /status page on http:\/\/127\.0\.0\.1:(\d+)/));
  const status = async () => (await fetch(`http://127.0.0.1:${statusPort}/api/status`)).json();
  // The floor: a Node process that only wakes twice a second.
  const idle = start(process.execPath, ['-e', 'setInterval(() => {}, 500)']);

  await sleep(warmup * 1000);
  const pid = agent.child.pid;
  const a0 = procStat(pid);
  const i0 = procStat(idle.child.pid);
  // Children alive now count from their current CPU; those born later from zero.
  const kidStart = new Map(descendants(pid).map((k) => [k.pid, k.self]));
  const s0 = await status();
  const up0 = relay.counts.up;
  const t0 = performance.now();
  const rss = [];
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    await sleep(Math.min(1000, deadline - performance.now()));
    const r = rssMb(pid);
    if (r !== null) rss.push(r);
    for (const k of descendants(pid)) if (!kidStart.has(k.pid)) kidStart.set(k.pid, 0);
  }
  const wall = (performance.now() - t0) / 1000;
  const a1 = procStat(pid);
  const i1 = procStat(idle.child.pid);
  const s1 = await status();
  const up = relay.counts.up - up0;
  // Children alive at the end; those that exited meanwhile are in the agent's cutime+cstime.
  const kidsCpu = {};
  for (const k of descendants(pid)) kidsCpu[k.comm] = (kidsCpu[k.comm] ?? 0) + (k.self - (kidStart.get(k.pid) ?? 0));
  const pct = (ticks) => (100 * ticks) / TICKS_PER_SECOND / wall;
  const produced = s1.samples.produced - s0.samples.produced;
  const result = {
    agent_cpu_pct: pct(a1.self - a0.self),
    children_cpu_pct: Object.fromEntries(Object.entries(kidsCpu).map(([comm, t]) => [comm, pct(t)])),
    exited_children_cpu_pct: pct(a1.children - a0.children),
    rss_mb_median: median(rss),
    rss_mb_max: Math.max(...rss),
    samples_per_s: produced / wall,
    bytes_per_sample_wire: produced > 0 ? up / produced : null,
    idle_node_cpu_pct: pct(i1.self - i0.self),
    idle_node_rss_mb: rssMb(idle.child.pid),
    sources: s1.sources?.map((s) => `${s.name}:${s.state}`) ?? [],
    late_ticks: s1.sampler.lateTicks - s0.sampler.lateTicks,
  };
  await stopProc(idle);
  await stopProc(agent);
  await relay.close();
  await stopProc(collector);
  rmSync(work, { recursive: true, force: true });
  process.stderr.write(`run ${run + 1}/${runs}: agent ${round(result.agent_cpu_pct, 2)} % CPU, ${round(result.rss_mb_median, 1)} MB RSS, ${round(result.samples_per_s, 1)} samples/s, idle node ${round(result.idle_node_cpu_pct, 2)} %\n`);
  return result;
}

const results = [];
for (let r = 0; r < runs; r++) results.push(await oneRun(r));
const med = (k, d) => round(median(results.map((r) => r[k])), d);
const comms = [...new Set(results.flatMap((r) => Object.keys(r.children_cpu_pct)))];
process.stdout.write(`${JSON.stringify({
  agent_cpu_pct_of_core: med('agent_cpu_pct', 2),
  children_cpu_pct_of_core: Object.fromEntries(comms.map((c) => [c, round(median(results.map((r) => r.children_cpu_pct[c] ?? 0)), 2)])),
  exited_children_cpu_pct_of_core: med('exited_children_cpu_pct', 2),
  rss_mb_median: med('rss_mb_median', 1),
  rss_mb_max: med('rss_mb_max', 1),
  samples_per_s: med('samples_per_s', 1),
  bytes_per_sample_wire: med('bytes_per_sample_wire', 2),
  ceiling_idle_node_cpu_pct_of_core: med('idle_node_cpu_pct', 2),
  ceiling_idle_node_rss_mb: med('idle_node_rss_mb', 1),
  targets: { agent_cpu_pct_of_core: 1.5, rss_mb: 64 },
  setup: { gpus, seconds, warmup, runs, node_options: nodeOptions, sources: results[0].sources },
  late_ticks: results.map((r) => r.late_ticks),
  runs: results.map((r) => ({ agent_cpu_pct: round(r.agent_cpu_pct, 2), rss_mb_max: round(r.rss_mb_max, 1), idle_node_cpu_pct: round(r.idle_node_cpu_pct, 2) })),
}, null, 2)}\n`);
