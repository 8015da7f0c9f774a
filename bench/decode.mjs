// Decode cost of one batch frame from the network, in this process: decodeFrame (pre-scan +
// msgpackr + validate, what a frame alone costs) against a connection's FrameDecoder (the same,
// reusing the dictionary of the previous batch when its bytes repeat, as an agent's do). The
// frame is one tick of an 8-GPU host as the agent seals it (99 samples); every tick's values
// and timestamps differ, the dictionary does not. Prints JSON: µs per frame (CPU time), medians
// of --runs runs of --frames decodes each.
//
// Usage: node bench/decode.mjs [--runs 5] [--frames 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { hostTickSeries } from './support/host-tick.mjs';
import { median, ROOT } from './support/processes.mjs';

let opts;
try {
  opts = parseArgs({ options: { runs: { type: 'string', default: '5' }, frames: { type: 'string', default: '100000' } } }).values;
} catch (err) {
  process.stderr.write(`bench/decode.mjs: ${err.message}\n`);
  process.exit(2);
}
const runs = Number(opts.runs);
const count = Number(opts.frames);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(count) || count < 1_000) {
  process.stderr.write('bench/decode.mjs: --runs must be an integer ≥ 1 and --frames ≥ 1000\n');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-decode-'));
await build({
  stdin: {
    contents: `export { encodeFrame, decodeFrame } from './protocol/src/codec.ts';
export { FrameDecoder } from './protocol/src/frame-decoder.ts';
export { BatchBuilder } from './protocol/src/batch.ts';
export { series } from './protocol/src/series.ts';`,
    resolveDir: ROOT, sourcefile: 'bench-decode.ts', loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(work, 'codec.mjs'), logLevel: 'warning',
  plugins: [{ name: 'from-checkout', setup: (b) => b.onResolve({ filter: /^msgpackr$/ }, () => ({ path: import.meta.resolve('msgpackr'), external: true })) }],
});
const codec = await import(pathToFileURL(join(work, 'codec.mjs')).href);
rmSync(work, { recursive: true, force: true });

const host = hostTickSeries(codec.series, 8);
const builder = new codec.BatchBuilder();
const t0 = Date.now();
const FRAMES = 64;
const frames = Array.from({ length: FRAMES }, (_, i) => {
  for (const s of host) builder.add(s, t0 + i * 500, Math.round(Math.random() * 1e6) / 100);
  return codec.encodeFrame(builder.seal(i + 1, t0 + i * 500));
});

/** CPU µs per frame of `decode` over `count` frames (after a warm-up of the same size). */
function measure(decode) {
  const pass = () => {
    for (let i = 0; i < count; i++) if (!decode(frames[i % FRAMES]).ok) throw new Error('own frame rejected');
  };
  pass();
  const c = process.cpuUsage();
  pass();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / count;
}

const alone = [];
const perConnection = [];
let reused = 0;
for (let r = 0; r < runs; r++) {
  alone.push(measure((bytes) => codec.decodeFrame(bytes)));
  const decoder = new codec.FrameDecoder();
  perConnection.push(measure((bytes) => decoder.decode(bytes)));
  reused = decoder.reused;
}
const round = (x) => Math.round(x * 100) / 100;
process.stdout.write(`${JSON.stringify({
  frame_bytes: frames[0].byteLength,
  samples_per_frame: host.length,
  decode_frame_us: round(median(alone)),
  frame_decoder_us: round(median(perConnection)),
  ratio: round(median(alone) / median(perConnection)),
  frames_reused_last_run: reused,
  runs: { decode_frame_us: alone.map(round), frame_decoder_us: perConnection.map(round) },
}, null, 1)}\n`);
