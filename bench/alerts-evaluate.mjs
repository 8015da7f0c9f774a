// Cost of one alert evaluation pass over a fleet, in one process (the collector runs the alert
// engine on the thread that stores batches): --agents hosts × 8 GPUs of 2 Hz temperature and two
// probed providers (a probe every 5 s, some failing) for the last --minutes, in a real SQLite
// store; rules: threshold (hw.gpu.temperature above 85 for 60s, 5 % of hosts hot), probe_errors
// (5 min window) and agent_offline. Each run is a full pass (rules, grouping, the transaction);
// the first run fires the alerts and queues their notifications, the later ones find them
// firing. Prints JSON: CPU ms per pass (median and max of --runs), the reads a naive evaluation
// would make (findSeries + raw over every matching series' whole window) as the ceiling it is
// measured against in the same run, their ratio, and the pass's share of the default 10 s
// evaluation interval.
//
// Usage: node bench/alerts-evaluate.mjs [--agents 1000] [--minutes 5] [--runs 7]
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1] === undefined || all[i + 1].startsWith('--') ? true : all[i + 1]]] : acc), []));
const AGENTS = Number(args.agents ?? 1000);
const MINUTES = Number(args.minutes ?? 5);
const RUNS = Number(args.runs ?? 7);

const cache = join(root, 'node_modules', '.cache', 'sigmascope-bench');
mkdirSync(cache, { recursive: true });
const entry = join(cache, 'alerts-entry.ts');
const out = join(cache, 'alerts-bundle.mjs');
writeFileSync(entry, [
  `export { ChunkedStore } from '${root}/collector/src/store/chunked-store.ts';`,
  `export { openDatabase } from '${root}/collector/src/store/schema/sqlite-db.ts';`,
  `export { Alerting } from '${root}/collector/src/alerts/alerting.ts';`,
  `export { loadAlertsConfig } from '${root}/collector/src/alerts/config/alerts-config.ts';`,
  `export { MemoryChannel } from '${root}/collector/src/alerts/channels/memory-channel.ts';`,
  `export { MemoryIncidentSource } from '${root}/collector/src/alerts/incidents/memory-incident-source.ts';`,
  `export { MemoryAuditSink } from '${root}/collector/src/audit/audit-entry.ts';`,
  `export { silentLogger } from '${root}/protocol/src/log.ts';`,
].join('\n'));
await build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', external: ['better-sqlite3', 'sqlite-vec', '@datadog/sketches-js', 'nodemailer', 'yaml'], logLevel: 'error' });
const m = await import(pathToFileURL(out).href);

const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
const now = Math.floor(Date.now() / 1000) * 1000;
const start = now - MINUTES * 60_000;
const { db } = m.openDatabase(dir);
const store = new m.ChunkedStore(db, { clock: () => now });
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;

const fillAt = process.cpuUsage();
for (let a = 0; a < AGENTS; a++) {
  const agent = `gpu-${String(a).padStart(4, '0')}`;
  const hot = a % 20 === 0;
  const series = [];
  for (let g = 0; g < 8; g++) {
    const n = MINUTES * 120;
    const ts = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ts[i] = start + i * 500;
      values[i] = Math.round((hot && g === 0 ? 88 : 62) + rnd() * 4);
    }
    series.push({ name: 'hw.gpu.temperature', labels: { 'hw.id': `GPU-${g}` }, ts, values });
  }
  for (const provider of ['openai', 'anthropic']) {
    const n = MINUTES * 12;
    const ok = { name: 'gen_ai.client.operation.duration', labels: { 'gen_ai.provider.name': provider, 'gen_ai.request.model': 'm' }, ts: new Float64Array(n), values: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      ok.ts[i] = start + i * 5_000;
      ok.values[i] = 0.8 + rnd();
    }
    series.push(ok);
    if (a % 50 === 0) series.push({ name: 'gen_ai.client.operation.duration', labels: { 'gen_ai.provider.name': provider, 'gen_ai.request.model': 'm', 'error.type': 'timeout' }, ts: Float64Array.from({ length: n }, (_, i) => start + i * 5_000 + 1), values: new Float64Array(n).fill(30) });
  }
  store.storeBatch(agent, 'main', 1, series, [], now);
}
const fill = process.cpuUsage(fillAt);

const config = m.loadAlertsConfig({
  channels: [{ name: 'hook', type: 'slack', url: 'http://127.0.0.1:9/hook' }],
  rules: [
    { name: 'gpu-hot', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, recover: 80, for: '60s', channels: ['hook'] },
    { name: 'probe-errors', on: 'probe_errors', window: '5m', above: 0.3, channels: ['hook'] },
    { name: 'offline', on: 'agent_offline', for: '2m', channels: ['hook'] },
  ],
}, 'bench', {});
const connected = new Set(Array.from({ length: AGENTS }, (_, a) => `gpu-${String(a).padStart(4, '0')}`));
const alerting = new m.Alerting({ config, db, store, connectedAgents: () => connected, incidents: new m.MemoryIncidentSource(), audit: new m.MemoryAuditSink(), log: m.silentLogger, clock: () => now, channels: new Map([['hook', new m.MemoryChannel('hook')]]) });

const cpuMs = (f) => {
  const at = process.cpuUsage();
  const r = f();
  const u = process.cpuUsage(at);
  return { ms: (u.user + u.system) / 1000, r };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const passes = [];
let first;
for (let i = 0; i < RUNS; i++) {
  const { ms, r } = cpuMs(() => alerting.engine.evaluate());
  if (i === 0) first = r;
  passes.push(ms);
}
const naive = [];
for (let i = 0; i < RUNS; i++) {
  naive.push(cpuMs(() => {
    let points = 0;
    for (const s of store.findSeries('hw.gpu.temperature', () => true, 100_000).series) points += store.raw(s.id, now - 180_000, now).ts.length;
    for (const s of store.findSeries('gen_ai.client.operation.duration', () => true, 100_000).series) points += store.raw(s.id, now - 300_000, now).ts.length;
    return points;
  }).ms);
}
const result = {
  agents: AGENTS, series: AGENTS * 8 + AGENTS * 2 + Math.ceil(AGENTS / 50) * 2, minutes: MINUTES, runs: RUNS,
  firstPass: first, fillCpuS: Number(((fill.user + fill.system) / 1e6).toFixed(1)),
  passCpuMs: { median: Number(median(passes).toFixed(1)), max: Number(Math.max(...passes).toFixed(1)) },
  naiveReadsCpuMs: { median: Number(median(naive).toFixed(1)) },
  ratioToNaiveReads: Number((median(passes) / median(naive)).toFixed(2)),
  shareOf10sInterval: Number((median(passes) / 10_000).toFixed(4)),
};
console.log(JSON.stringify(result, null, 2));
store.close();
rmSync(dir, { recursive: true, force: true });
