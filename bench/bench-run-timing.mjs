// `sigmascope bench run` timing accuracy (issue 14: per-request times match what the server served
// within 3 ms at p95), per load profile, against the known-latency server of the tests
// (tests/support/latency-server.ts) running in a child process. Like is compared with like: the
// server's clock starts when the request arrives (its head read) and stops just before each
// write; the runner's starts before it writes the request, so the connection it opened for it
// (connect_ms, 0 on a reused keep-alive connection) is taken out, being time the server cannot
// see. For every request of every run: |client − server| of TTFT (also as recorded, connect
// included, and anchored on the response headers both sides stamp), of end-to-end time, and of
// every gap between chunks. Prints, per profile, p50/p95/max over all runs, the p95 of each run
// and their median, with the load average, since these figures are only as good as the CPU the
// two processes get. `--tty` runs the CLI on a terminal (script(1)), so its progress bar draws.
// Usage: node bench/bench-run-timing.mjs [runs=3] [requests=30] [--tty]
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2).filter((a) => a !== '--tty');
const tty = process.argv.includes('--tty');
const runs = Number(args[0] ?? 3);
const requests = Number(args[1] ?? 30);
const out = mkdtempSync(join(tmpdir(), 'bench-run-timing-'));
// The server's bundle sits two folders below the repository root, where its fixture paths resolve.
const bundle = join(root, 'dist', 'bench-run-timing');
mkdirSync(bundle, { recursive: true });
writeFileSync(join(bundle, 'server-child.ts'), `
import { startLatencyServer } from ${JSON.stringify(join(root, 'tests/support/latency-server.ts'))};
const server = await startLatencyServer();
process.on('message', (m) => {
  if (m.add !== undefined) process.send?.({ url: server.add(m.add) });
  if (m.served !== undefined) process.send?.({ served: [...server.served(m.served).entries()] });
  if (m === 'stop') void server.close().then(() => process.exit(0));
});
process.send?.({ ready: true });
`);
await build({ entryPoints: [join(bundle, 'server-child.ts')], outdir: bundle, outExtension: { '.js': '.mjs' }, bundle: true, format: 'esm', platform: 'node', target: 'node20', absWorkingDir: root, nodePaths: [join(root, 'node_modules')], logLevel: 'warning', external: ['better-sqlite3', 'lmdb', 'msgpackr', 'systeminformation', 'node-nvidia-smi'] });
const child = fork(join(bundle, 'server-child.mjs'));
const next = () => new Promise((r) => child.once('message', r));
await next();
const ask = async (m) => (child.send(m), next());

const dataset = join(out, 'prompts.jsonl');
writeFileSync(dataset, Array.from({ length: 150 }, (_, i) => JSON.stringify({ id: `p${i}`, prompt: `prompt ${i}` })).join('\n') + '\n');
const PROFILES = {
  synchronous: `{type: synchronous, requests: ${requests}, warmup: 3}`,
  'concurrent 4': `{type: concurrent, concurrency: 4, requests: ${requests}, warmup: 3}`,
  'constant 20/s': `{type: constant, rate: 20, requests: ${requests}, warmup: 3}`,
  'poisson 20/s': `{type: poisson, rate: 20, requests: ${requests}, warmup: 3}`,
  'sweep 10,30/s': `{type: sweep, rates: [10, 30], requests: ${Math.ceil(requests / 2)}, warmup: 3}`,
};
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
};
const median = (xs) => pct(xs, 0.5);
const line = (name, perRun) => {
  const xs = perRun.flat();
  const p95s = perRun.map((r) => pct(r, 0.95));
  return `${name.padEnd(24)} p50 ${pct(xs, 0.5).toFixed(2).padStart(6)}  p95 ${pct(xs, 0.95).toFixed(2).padStart(6)}  max ${Math.max(...xs).toFixed(2).padStart(6)} ms  p95 of each run ${p95s.map((v) => v.toFixed(2)).join(', ')} (median ${median(p95s).toFixed(2)})  n=${xs.length}`;
};
const cli = [process.execPath, join(root, 'bin/sigmascope.js'), 'bench', 'run'];
const quote = (a) => `'${a.replace(/'/g, `'\\''`)}'`;
const runCli = (suite, runsDir) => new Promise((resolve) => {
  const argv = [...cli, suite, '--out', runsDir, '--format', 'json'];
  // On a terminal the progress bar draws while requests are timed: the case a person runs.
  const p = tty ? spawn('script', ['-qfec', argv.map(quote).join(' '), '/dev/null'], { stdio: 'ignore' }) : spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  p.on('exit', resolve);
});

console.log(`bench run timing: ${runs} runs × ${requests} requests per profile${tty ? ', the CLI on a terminal' : ''}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
for (const [label, profile] of Object.entries(PROFILES)) {
  const errs = { ttft: [], 'ttft as recorded': [], 'ttft after headers': [], e2e: [], itl: [] };
  let connections = 0;
  let measured = 0;
  for (let r = 0; r < runs; r++) {
    for (const xs of Object.values(errs)) xs.push([]);
    const { url } = await ask({ add: 1 });
    const suite = join(out, `suite-${r}.yaml`);
    writeFileSync(suite, `name: timing\nseed: ${r + 1}\ntargets: [{name: t, provider: openai-compatible, url: "${url}/v1/chat/completions", model: m}]\ndataset: {path: prompts.jsonl}\nprofile: ${profile}\nmaxTokens: 16\n`);
    const runsDir = mkdtempSync(join(out, 'runs-'));
    await runCli(suite, runsDir);
    const dir = join(runsDir, readdirSync(runsDir)[0]);
    const served = new Map((await ask({ served: url })).served);
    for (const l of readFileSync(join(dir, 'requests.jsonl'), 'utf8').trim().split('\n')) {
      const q = JSON.parse(l);
      const s = served.get(Number(q.prompt_id.slice(1)));
      if (!q.ok || s === undefined) continue;
      measured++;
      if (q.connect_ms > 0) connections++;
      const at = (k) => errs[k].at(-1);
      at('ttft').push(Math.abs(q.ttft_ms - q.connect_ms - s.ttftMs));
      at('ttft as recorded').push(Math.abs(q.ttft_ms - s.ttftMs));
      at('ttft after headers').push(Math.abs(q.ttft_ms - q.ttfb_ms - (s.ttftMs - s.headersMs)));
      at('e2e').push(Math.abs(q.e2e_ms - q.connect_ms - s.e2eMs));
      q.itl_ms.forEach((g, i) => at('itl').push(Math.abs(g - s.gapsMs[i])));
    }
  }
  console.log(`\n${label}: ${connections} of ${measured} measured requests opened a connection`);
  for (const [name, perRun] of Object.entries(errs)) console.log(`  ${line(name, perRun)}`);
}
console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
child.send('stop');
