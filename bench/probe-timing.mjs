// Probe timing accuracy (issue 5: TTFT and inter-chunk gaps within 2 ms at p99) and the
// interference between probing and the agent's 2 Hz tick, measured in the same run:
//   1. probes alone                  → |measured − served| for TTFT (anchored on the headers) and every gap
//   2. probes + a 2 Hz tick doing W ms of synchronous work (the sampler's worst case)
//   3. the tick alone, then the tick with probes running → tick lateness p50/p99/max
// The emulator (tests/support/provider-emulator.ts, replaying the recorded OpenAI stream) runs in a
// child process and reports when it actually wrote each piece; the probe code is the agent's, bundled
// on the fly with esbuild. Usage: node bench/probe-timing.mjs [runs=40] [gapMs=10] [tickWorkMs=5]
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 40);
const gapMs = Number(process.argv[3] ?? 10);
const tickWorkMs = Number(process.argv[4] ?? 5);
const fixtures = join(root, 'tests', 'fixtures');
const body = readFileSync(join(fixtures, 'providers', 'openai', 'openai-python__chat-stream-text-with-usage-gpt-4o.sse'), 'utf8');

const out = mkdtempSync(join(tmpdir(), 'bench-probe-'));
writeFileSync(join(out, 'emulator-child.ts'), `
import { startProviderEmulator } from ${JSON.stringify(join(root, 'tests/support/provider-emulator.ts'))};
const emu = await startProviderEmulator();
const base = emu.add({ kind: 'replay', body: process.env.BENCH_BODY ?? '', headersAtMs: 5, firstAtMs: 30, gapMs: Number(process.env.BENCH_GAP) });
process.send?.({ base });
process.on('message', (m) => {
  if (m === 'dump') process.send?.({ requests: emu.requests.map((r) => ({ headersSentAt: r.headersSentAt, writes: r.writes })) });
  if (m === 'stop') void emu.close().then(() => process.exit(0));
});
`);
writeFileSync(join(out, 'probe-entry.ts'), `
export { createHttpProbe } from ${JSON.stringify(join(root, 'agent/src/probes/http-probe.ts'))};
export { HTTP_PROVIDERS } from ${JSON.stringify(join(root, 'agent/src/probes/registry.ts'))};
export { DEFAULT_PRICES } from ${JSON.stringify(join(root, 'agent/src/probes/prices.ts'))};
export { warmUpTransport } from ${JSON.stringify(join(root, 'agent/src/probes/http-transport.ts'))};
`);
await build({
  entryPoints: [join(out, 'emulator-child.ts'), join(out, 'probe-entry.ts')], outdir: out, outExtension: { '.js': '.mjs' },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', absWorkingDir: root, nodePaths: [join(root, 'node_modules')], logLevel: 'warning',
});
const { createHttpProbe, HTTP_PROVIDERS, DEFAULT_PRICES, warmUpTransport } = await import(pathToFileURL(join(out, 'probe-entry.mjs')).href);

const child = fork(join(out, 'emulator-child.mjs'), [], { env: { ...process.env, BENCH_BODY: body, BENCH_GAP: String(gapMs) } });
const next = () => new Promise((r) => child.once('message', r));
const { base } = await next();
const probe = createHttpProbe({
  adapter: HTTP_PROVIDERS.openai, url: `${base}/v1/chat/completions`, model: 'gpt-4o', key: () => 'sk-bench-0000000000', prices: DEFAULT_PRICES,
  limits: { timeoutMs: 10_000, idleTimeoutMs: 5_000, maxBytes: 1 << 20 },
});
await warmUpTransport();

const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : NaN; };
const fmt = (xs) => `p50 ${q(xs, 0.5).toFixed(3)}  p99 ${q(xs, 0.99).toFixed(3)}  max ${Math.max(...xs).toFixed(3)} ms (n=${xs.length})`;
const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };

/** A 2 Hz tick like the sampler's: records how late each tick fires, does `work` ms of synchronous work. */
function startTick(work) {
  const late = [];
  let expected = performance.now() + 500;
  let timer;
  const tick = () => {
    late.push(performance.now() - expected);
    busy(work);
    expected += 500;
    timer = setTimeout(tick, Math.max(0, expected - performance.now()));
  };
  timer = setTimeout(tick, 500);
  return { late, stop: () => clearTimeout(timer) };
}

let served = 0;
async function measure(n) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await probe.run({ prompt: `bench ${i}`, maxTokens: 16 }));
  child.send('dump');
  const { requests } = await next();
  const mine = requests.slice(served, served + n);
  served += n;
  const ttft = [];
  const gaps = [];
  results.forEach((r, i) => {
    const w = mine[i].writes;
    if (r.status !== 'ok') throw new Error(`probe failed: ${r.errorType} ${r.message}`);
    ttft.push(Math.abs((r.timings.ttftMs - r.timings.ttfbMs) - (w[1] - mine[i].headersSentAt)));
    r.chunkGapsMs.forEach((g, j) => gaps.push(Math.abs(g - (w[j + 2] - w[j + 1]))));
  });
  return { ttft, gaps };
}

console.log(`probe timing: ${runs} probes per phase, ${gapMs} ms scheduled gaps, tick work ${tickWorkMs} ms, node ${process.version}`);
const alone = await measure(runs);
console.log(`1. probes alone        TTFT |err| ${fmt(alone.ttft)}\n                       gap  |err| ${fmt(alone.gaps)}`);
const tick1 = startTick(tickWorkMs);
const withTick = await measure(runs);
tick1.stop();
console.log(`2. probes + 2 Hz tick  TTFT |err| ${fmt(withTick.ttft)}\n                       gap  |err| ${fmt(withTick.gaps)}`);
const tickAlone = startTick(tickWorkMs);
await new Promise((r) => setTimeout(r, 10_000));
tickAlone.stop();
const tick2 = startTick(tickWorkMs);
await measure(runs);
tick2.stop();
console.log(`3. tick lateness alone        ${fmt(tickAlone.late)}\n   tick lateness with probes  ${fmt(tick2.late)}`);
child.send('stop');
