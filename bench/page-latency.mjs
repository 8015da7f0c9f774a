// Sample → screen latency in a real browser: a real collector, a real agent (stand-in nvidia-smi
// with 8 GPUs), Debian's chromium (playwright-core) on the dashboard's host view and on the
// agent's status page. After a warm-up, every point drawn for `seconds` counts: the page records
// `drawn − sampled` per point (web/src/live/latency-recorder.ts); the bench reads it every second.
// Prints JSON: p50/p99 per page and per run, and the medians over runs.
// Usage: node bench/page-latency.mjs [--seconds 30] [--warmup 5] [--runs 3] [--gpus 8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { median, ROOT, runCli, sleep, startCli, waitForOutput } from './support/processes.mjs';

const { values: opt } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, warmup: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' }, gpus: { type: 'string', default: '8' } } });
const seconds = Number(opt.seconds);
const warmup = Number(opt.warmup);
const runs = Number(opt.runs);
const CHROMIUM = process.env.SIGMASCOPE_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const nearestRank = (xs, q) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] : null);

/** Latencies of every point the page draws during `seconds`, after `warmup` seconds. */
async function watch(page) {
  await page.waitForFunction(() => (window.__sigmascopeLatency?.frames ?? 0) > 0, null, { timeout: 30_000 });
  await sleep(warmup * 1000);
  const read = () => page.evaluate(() => window.__sigmascopeLatency);
  let last = (await read()).total;
  const values = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(1000);
    const r = await read();
    const fresh = r.total - last;
    if (fresh > r.values.length) throw new Error('the page recorded more points in a second than it keeps: read more often');
    values.push(...r.values.slice(r.values.length - fresh));
    last = r.total;
  }
  return { points: values.length, p50: nearestRank(values, 0.5), p99: nearestRank(values, 0.99), max: nearestRank(values, 1) };
}

async function run() {
  const data = mkdtempSync(join(tmpdir(), 'bench-page-'));
  const agentData = mkdtempSync(join(tmpdir(), 'bench-page-agent-'));
  const admin = runCli(['token', 'create', 'bench-admin', '--role', 'admin', '--data', data]);
  const agentToken = runCli(['token', 'create', 'bench-host', '--data', data]);
  const collector = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', data]);
  const port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
  const agent = startCli(['agent', '--collector', `ws://127.0.0.1:${port}/ingest`, '--data', agentData, '--status-port', '0', '--name', 'bench-host'], {
    SIGMASCOPE_TOKEN: agentToken, PATH: `${join(ROOT, 'tests', 'support', 'bin')}:${process.env.PATH}`, SIGMASCOPE_FAKE_GPUS: opt.gpus,
  });
  const statusPort = Number(await waitForOutput(agent, /status page on http:\/\/127\.0\.0\.1:(\d+)/));
  const profile = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/login?token=${admin}`);
    await page.goto(`http://127.0.0.1:${port}/#/host/bench-host`);
    const dashboard = await watch(page);
    await page.goto(`http://127.0.0.1:${statusPort}/`);
    const status = await watch(page);
    return { dashboard, status };
  } finally {
    await context.close();
    for (const p of [agent, collector]) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    for (const d of [data, agentData, profile]) rmSync(d, { recursive: true, force: true });
  }
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await run());
const summary = (key) => ({ p50_ms: median(results.map((r) => r[key].p50)), p99_ms: median(results.map((r) => r[key].p99)), points_per_run: median(results.map((r) => r[key].points)) });
console.log(JSON.stringify({ gpus: Number(opt.gpus), seconds, runs: results, dashboard: summary('dashboard'), status_page: summary('status'), target_p99_ms: 250 }, null, 2));
