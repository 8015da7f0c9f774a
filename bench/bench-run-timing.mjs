// `sigmascope bench run` timing accuracy (issue 14: per-request times match what the server served
// within 3 ms at p95), per load profile, against the known-latency server of the tests
// (tests/support/latency-server.ts) running in a child process. For every request of every run:
// |client − server| of TTFT (absolute, and anchored on the response headers both sides stamp), of
// end-to-end time, and of every gap between chunks. Prints p50/p95/max per profile over all runs,
// with the load average, since these figures are only as good as the CPU the two processes get.
// Usage: node bench/bench-run-timing.mjs [runs=3] [requests=30]
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 3);
const requests = Number(process.argv[3] ?? 30);
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
const line = (name, xs) => `${name.padEnd(22)} p50 ${pct(xs, 0.5).toFixed(2).padStart(7)}  p95 ${pct(xs, 0.95).toFixed(2).padStart(7)}  max ${Math.max(...xs).toFixed(2).padStart(7)} ms  (n=${xs.length})`;

console.log(`bench run timing: ${runs} runs × ${requests} requests per profile; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
for (const [label, profile] of Object.entries(PROFILES)) {
  const errs = { ttft: [], 'ttft after headers': [], e2e: [], itl: [] };
  for (let r = 0; r < runs; r++) {
    const { url } = await ask({ add: 1 });
    const suite = join(out, `suite-${r}.yaml`);
    writeFileSync(suite, `name: timing\nseed: ${r + 1}\ntargets: [{name: t, provider: openai-compatible, url: "${url}/v1/chat/completions", model: m}]\ndataset: {path: prompts.jsonl}\nprofile: ${profile}\nmaxTokens: 16\n`);
    const runsDir = mkdtempSync(join(out, 'runs-'));
    await new Promise((resolve) => spawn(process.execPath, [join(root, 'bin/sigmascope.js'), 'bench', 'run', suite, '--out', runsDir, '--format', 'json'], { stdio: 'ignore' }).on('exit', resolve));
    const dir = join(runsDir, readdirSync(runsDir)[0]);
    const served = new Map((await ask({ served: url })).served);
    for (const l of readFileSync(join(dir, 'requests.jsonl'), 'utf8').trim().split('\n')) {
      const q = JSON.parse(l);
      const s = served.get(Number(q.prompt_id.slice(1)));
      if (!q.ok || s === undefined) continue;
      errs.ttft.push(Math.abs(q.ttft_ms - s.ttftMs));
      errs['ttft after headers'].push(Math.abs(q.ttft_ms - q.ttfb_ms - (s.ttftMs - s.headersMs)));
      errs.e2e.push(Math.abs(q.e2e_ms - s.e2eMs));
      q.itl_ms.forEach((g, i) => errs.itl.push(Math.abs(g - s.gapsMs[i])));
    }
  }
  console.log(`\n${label}`);
  for (const [name, xs] of Object.entries(errs)) console.log(`  ${line(name, xs)}`);
}
console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
child.send('stop');
