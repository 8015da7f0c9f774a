// Fleet scale on one collector: --agents agents (default 1,000) at 2 Hz speaking the real protocol
// (the codec of protocol/src, bundled at start) to a real collector process, each its own token,
// connection and stream, one 1-tick frame per agent per 500 ms at its own phase. Three phases,
// each with a fresh collector:
//
//   off      remote-write off: the collector's CPU (utime+stime, /proc) over --seconds after a
//            warm-up, as % of one core, and per 100,000 samples/s offered;
//   on       the same with remote-write to a real VictoriaMetrics (Debian's victoria-metrics on
//            loopback): the collector's CPU, the engine's apart, and the export lag at the end;
//   outage   remote-write on; after the warm-up the engine is stopped for --outage seconds
//            (default 600: ten minutes) while the agents keep sending, then started again on its
//            data dir: the backlog (samples), the time until the collector has nothing pending,
//            and the drain rate (samples handed on per second while draining, live ones included)
//            against the live rate.
//
// Every sample the agents sent must be stored (checked through /api/v1/stats) and, in `on` and
// `outage`, sent (export samplesSent), or the bench fails. Prints JSON.
//
// Usage: node bench/fleet-scale.mjs [--agents 1000] [--gpus 3] [--seconds 30] [--outage 600]
//                                   [--phases off,on,outage] [--max-samples-per-send 10000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { hostTickSeries } from './support/host-tick.mjs';
import { cpuSeconds, ROOT, sleep, startCli, stopProc, waitForOutput } from './support/processes.mjs';

const fail = (m) => (process.stderr.write(`bench/fleet-scale.mjs: ${m}\n`), process.exit(2));
let opts;
try {
  opts = parseArgs({ options: { agents: { type: 'string', default: '1000' }, gpus: { type: 'string', default: '3' }, seconds: { type: 'string', default: '30' }, outage: { type: 'string', default: '600' }, phases: { type: 'string', default: 'off,on,outage' }, 'max-samples-per-send': { type: 'string', default: '10000' } } }).values;
} catch (err) {
  fail(err.message);
}
const int = (k, min, max) => {
  const v = Number(opts[k]);
  if (!Number.isInteger(v) || v < min || v > max) fail(`--${k} must be an integer in [${min}, ${max}], got ${JSON.stringify(opts[k])}`);
  return v;
};
const AGENTS = int('agents', 1, 5_000);
const GPUS = int('gpus', 0, 16);
const SECONDS = int('seconds', 5, 3_600);
const OUTAGE = int('outage', 1, 7_200);
const BATCH = int('max-samples-per-send', 100, 1_000_000);
const PHASES = opts.phases.split(',');
for (const p of PHASES) if (!['off', 'on', 'outage'].includes(p)) fail(`--phases: unknown phase ${p}`);
const WARMUP_S = 10;

const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-fleet-'));
const external = Object.fromEntries(['msgpackr', 'better-sqlite3', 'sqlite-vec'].map((n) => [n, import.meta.resolve(n)]));
await build({
  stdin: {
    contents: `export { encodeFrame, decodeFrame } from './protocol/src/codec.ts';
export { BatchBuilder } from './protocol/src/batch.ts';
export { series } from './protocol/src/series.ts';
export { PROTOCOL_VERSION } from './protocol/src/frames.ts';
export { openDatabase } from './collector/src/store/schema/sqlite-db.ts';
export { TokenStore } from './collector/src/auth/token-store.ts';`,
    resolveDir: ROOT, sourcefile: 'fleet-codec.ts', loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(work, 'codec.mjs'), logLevel: 'warning',
  plugins: [{ name: 'from-checkout', setup: (b) => b.onResolve({ filter: /^(msgpackr|better-sqlite3|sqlite-vec)$/ }, (a) => ({ path: external[a.path], external: true })) }],
});
const codec = await import(pathToFileURL(join(work, 'codec.mjs')).href);
const SERIES = hostTickSeries(codec.series, GPUS);
const OFFERED = AGENTS * SERIES.length * 2;
const round = (x, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** VictoriaMetrics on a free port (deduplicating identical samples, queryable at once). */
async function startEngine(dataDir, port) {
  const child = spawn('victoria-metrics', [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${dataDir}`, '-retentionPeriod=100y', '-dedup.minScrapeInterval=1ms', '-search.latencyOffset=0s', '-loggerLevel=ERROR'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { child, exited };
    } catch {}
    await sleep(100);
  }
  throw new Error('victoria-metrics did not start');
}
async function stopEngine(e) {
  e.child.kill('SIGTERM');
  await e.exited;
}

/** A data dir with a viewer token and one agent token per agent, written directly. */
function prepare(name) {
  const dataDir = mkdtempSync(join(work, `${name}-`));
  const { db } = codec.openDatabase(dataDir);
  const store = new codec.TokenStore(db);
  const token = (n, role) => store.create(n, role).token;
  const viewer = token('bench-viewer', 'viewer');
  const tokens = Array.from({ length: AGENTS }, (_, a) => token(`agent-${a}`, 'agent'));
  db.close();
  return { dataDir, viewer, tokens };
}

/**
 * The fleet: every agent connects, says hello and sends one frame per 500 ms at its phase, with at
 * most 8 unacknowledged (more waits: the agent's window). stop() ends the sending; acked() counts.
 */
function fleet(port, tokens) {
  const builder = new codec.BatchBuilder();
  let stopped = false;
  let sentSamples = 0;
  let ackedSamples = 0;
  let retries = 0;
  const t0 = performance.now() + 2_000;
  const done = tokens.map((token, a) => new Promise((resolve, reject) => {
    let seq = 0;
    let acked = 0;
    let timer = null;
    let attempts = 0;
    // As an agent does: a connection refused or timed out before the welcome is tried again.
    const connect = () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ingest`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
      let welcomed = false;
      const tick = () => {
        if (stopped) {
          if (acked === seq) ws.close();
          return;
        }
        if (seq - acked < 8) {
          const ts = Date.now();
          for (const s of SERIES) builder.add(s, ts, Math.round(Math.random() * 1e6) / 100);
          ws.send(codec.encodeFrame(builder.seal(++seq, ts)));
          sentSamples += SERIES.length;
        }
        timer = setTimeout(tick, t0 + (500 * a) / tokens.length + 500 * (seq + 1) - performance.now());
      };
      ws.on('open', () => ws.send(codec.encodeFrame({ t: 'hello', proto: codec.PROTOCOL_VERSION, agentVersion: 'bench', bootId: `boot-${a}`, stream: 'main', hostname: `host-${a}`, clock: Date.now() })));
      ws.on('message', (data) => {
        const d = codec.decodeFrame(data);
        if (!d.ok) return reject(new Error(`undecodable collector frame ${d.code}`));
        if (d.frame.t === 'welcome') {
          welcomed = true;
          timer = setTimeout(tick, Math.max(0, t0 + (500 * a) / tokens.length - performance.now()));
        } else if (d.frame.t === 'ack') {
          ackedSamples += (d.frame.seq - acked) * SERIES.length;
          acked = Math.max(acked, d.frame.seq);
          if (stopped && acked === seq) ws.close();
        } else reject(new Error(`collector error ${d.frame.code}`));
      });
      ws.on('close', () => {
        clearTimeout(timer);
        if (welcomed || stopped) resolve();
      });
      ws.on('error', (err) => {
        if (welcomed || ++attempts > 10) return reject(err);
        retries++;
        setTimeout(connect, 1_000 + Math.random() * 1_000);
      });
    };
    connect();
  }));
  return { sent: () => sentSamples, acked: () => ackedSamples, connectRetries: () => retries, async stop() { stopped = true; await Promise.all(done); } };
}

async function stats(port, viewer) {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/stats`, { headers: { authorization: `Bearer ${viewer}` } });
      return await r.json();
    } catch (err) {
      process.stderr.write(`stats: ${err.cause?.code ?? err.message} (attempt ${attempt})\n`);
      if (attempt === 5) throw err;
      await sleep(200);
    }
  }
}

/** CPU % of one core of `pid` over `seconds`, from now. */
async function cpuOver(pids, seconds) {
  const c0 = pids.map(cpuSeconds);
  const w0 = performance.now();
  await sleep(seconds * 1000);
  const wall = (performance.now() - w0) / 1000;
  return pids.map((p, i) => (100 * (cpuSeconds(p) - c0[i])) / wall);
}

async function phase(name) {
  const { dataDir, viewer, tokens } = prepare(name);
  let engine = null;
  let enginePort = null;
  const args = ['collector', '--listen', '127.0.0.1', '--port', '0', '--data', dataDir];
  if (name !== 'off') {
    enginePort = await freePort();
    engine = await startEngine(join(work, `${name}-vm`), enginePort);
    const config = join(work, `${name}.yaml`);
    writeFileSync(config, `remoteWrite:\n  - url: http://127.0.0.1:${enginePort}/api/v1/write\n    maxSamplesPerSend: ${BATCH}\n`);
    args.push('--config', config);
  }
  const collector = startCli(args);
  current = collector;
  const port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  const f = fleet(port, tokens);
  await sleep(WARMUP_S * 1000 + 2_000);
  const out = { phase: name, agents: AGENTS, series_per_agent: SERIES.length, offered_samples_per_s: OFFERED };
  if (name === 'outage') {
    await stopEngine(engine);
    process.stderr.write(`outage: the engine is down for ${OUTAGE} s\n`);
    await sleep(OUTAGE * 1000);
    const before = await stats(port, viewer);
    const backlog = before.samples.storedSinceStart - before.export[0].samplesSent;
    engine = await startEngine(join(work, `${name}-vm`), enginePort);
    const c0 = cpuSeconds(collector.child.pid);
    const t0 = performance.now();
    const sent0 = before.export[0].samplesSent;
    let s = before;
    let firstSend = null;
    // The lag over time, every 10 s of the drain; a drain that has not ended after twice the
    // outage is reported as it stands (completed: false) rather than waited for forever.
    const lagOverTime = [{ s: 0, lag_s: round(before.export[0].lagSeconds), pending_records: before.export[0].pendingRecords }];
    let nextLag = 10;
    while ((s.export[0].pendingRecords > 0 || s.export[0].lastError !== null) && performance.now() - t0 < 2 * OUTAGE * 1000) {
      await sleep(250);
      s = await stats(port, viewer);
      if (firstSend === null && s.export[0].samplesSent > sent0) firstSend = { at: performance.now(), sent: s.export[0].samplesSent };
      const at = (performance.now() - t0) / 1000;
      if (at >= nextLag) {
        lagOverTime.push({ s: Math.round(at), lag_s: round(s.export[0].lagSeconds), pending_records: s.export[0].pendingRecords });
        nextLag += 10;
      }
    }
    const completed = s.export[0].pendingRecords === 0 && s.export[0].lastError === null;
    const drainS = (performance.now() - t0) / 1000;
    const fromFirst = firstSend === null ? null : (performance.now() - firstSend.at) / 1000;
    Object.assign(out, {
      outage_s: OUTAGE, backlog_samples: backlog, lag_before_drain_s: round(before.export[0].lagSeconds), drain_s: round(drainS),
      drain_samples_per_s: Math.round((s.export[0].samplesSent - sent0) / drainS), drain_vs_live: round((s.export[0].samplesSent - sent0) / drainS / OFFERED, 2),
      first_send_after_restart_s: firstSend === null ? null : round((firstSend.at - t0) / 1000),
      drain_samples_per_s_from_first_send: firstSend === null || fromFirst === 0 ? null : Math.round((s.export[0].samplesSent - firstSend.sent) / fromFirst),
      collector_cpu_pct_of_core_while_draining: round((100 * (cpuSeconds(collector.child.pid) - c0)) / drainS),
      completed, lag_over_time: lagOverTime,
    });
  } else {
    const [cpu, engineCpu] = await cpuOver([collector.child.pid, ...(engine ? [engine.child.pid] : [])], SECONDS);
    Object.assign(out, { collector_cpu_pct_of_core: round(cpu), collector_cpu_pct_per_100k_samples_s: round((cpu * 100_000) / OFFERED), engine_cpu_pct_of_core: engine ? round(engineCpu) : null });
  }
  await f.stop();
  // Everything sent is stored; with remote-write, everything stored is sent.
  let s = await stats(port, viewer);
  for (let i = 0; i < 240 && engine && (s.export[0].pendingRecords > 0 || s.export[0].samplesSent < s.samples.storedSinceStart); i++) {
    await sleep(250);
    s = await stats(port, viewer);
  }
  if (s.samples.storedSinceStart !== f.sent()) throw new Error(`${name}: stored ${s.samples.storedSinceStart} of ${f.sent()} sent`);
  if (engine && out.completed !== false && s.export[0].samplesSent !== s.samples.storedSinceStart) throw new Error(`${name}: exported ${s.export[0].samplesSent} of ${s.samples.storedSinceStart} stored`);
  out.samples = f.sent();
  out.connect_retries = f.connectRetries();
  if (engine) Object.assign(out, { exported: s.export[0].samplesSent, dropped: s.export[0].samplesDropped, retries: s.export[0].retries });
  await stopProc(collector);
  if (engine) await stopEngine(engine);
  rmSync(dataDir, { recursive: true, force: true });
  process.stderr.write(`${name}: ${JSON.stringify(out)}\n`);
  return out;
}

const results = [];
let current = null;
try {
  for (const p of PHASES) results.push(await phase(p));
} catch (err) {
  process.stderr.write(`${err.stack}\n${current?.out().slice(-3000) ?? ''}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ agents: AGENTS, series_per_agent: SERIES.length, offered_samples_per_s: OFFERED, phases: results, targets: { collector_cpu_pct_per_100k_samples_s_without_remote_write: 15 } }, null, 2)}\n`);
