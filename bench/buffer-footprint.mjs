// The agent buffer at its cap: how big the LMDB file gets, and how much of the cap holds frame
// bytes. The real LmdbBuffer (agent/src/buffer, bundled with esbuild at start) takes frames with
// no collector until it has dropped --fill times its cap; frames are the protocol's own batches
// of one 2 Hz tick (a host with 0, 2 and 8 GPUs), and synthetic sizes on either side of LMDB's
// half-page limit. Prints per cap and frame size:
//   file/cap      the file's size over the cap (what the disk holds)
//   overheadKiB   file − cap: LMDB's own pages (meta, table roots, free list, copy-on-write)
//   payload/cap   frame bytes kept over the cap (what page fill leaves for frames)
//   frames        frames kept at the cap; maxOldestJump: the most frames one append pushed out
//
// Every append is a durable LMDB transaction (as in the agent), so large caps take long.
// Usage: node bench/buffer-footprint.mjs [--caps 1,8] (MiB) [--fill 1.5]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { hostTickSeries } from './support/host-tick.mjs';
import { benchOptions } from './support/options.mjs';
import { ROOT } from './support/processes.mjs';

const { values: opts, usage } = benchOptions('buffer-footprint.mjs', { caps: { type: 'string', default: '1,8' }, fill: { type: 'string', default: '1.5' } });
const caps = opts.caps.split(',').map(Number);
if (caps.some((c) => !Number.isInteger(c) || c < 1 || c > 1024)) usage(`--caps must list integers in [1, 1024] (MiB), got ${JSON.stringify(opts.caps)}`);
const fill = Number(opts.fill);
if (!(fill >= 1.1 && fill <= 10)) usage(`--fill must be a number in [1.1, 10], got ${JSON.stringify(opts.fill)}`);

const work = mkdtempSync(join(tmpdir(), 'sigmascope-bench-buffer-'));
await build({
  stdin: {
    contents: `export { openLmdbBuffer } from './agent/src/buffer/lmdb-buffer.ts';
export { encodeFrame } from './protocol/src/codec.ts';
export { BatchBuilder } from './protocol/src/batch.ts';
export { series } from './protocol/src/series.ts';
export { silentLogger } from './protocol/src/log.ts';`,
    resolveDir: ROOT, sourcefile: 'bench-buffer.ts', loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(work, 'buffer.mjs'), logLevel: 'warning',
  plugins: [{ name: 'from-checkout', setup: (b) => b.onResolve({ filter: /^(lmdb|msgpackr)$/ }, (a) => ({ path: import.meta.resolve(a.path), external: true })) }],
});
const m = await import(pathToFileURL(join(work, 'buffer.mjs')).href);

/** Frames of ticks of a host with `gpus` GPUs, values varying as a live host's do. */
function tickFrames(gpus, count) {
  const host = hostTickSeries(m.series, gpus);
  const builder = new m.BatchBuilder();
  const t0 = Date.now();
  return Array.from({ length: count }, (_, i) => {
    for (const s of host) builder.add(s, t0 + i * 500, Math.round(Math.random() * 1e6) / 100);
    return { bytes: m.encodeFrame(builder.seal(i + 1, t0 + i * 500)), samples: host.length };
  });
}
const kinds = [
  ...[0, 2, 8].map((g) => ({ name: `tick, ${g} GPUs`, frames: tickFrames(g, 64) })),
  ...[1000, 2100, 6000].map((size) => ({ name: `${size} B`, frames: [{ bytes: new Uint8Array(size).fill(7), samples: 1 }] })),
];

const rows = [];
for (const capMiB of caps) {
  const cap = capMiB * 2 ** 20;
  for (const kind of kinds) {
    const dir = mkdtempSync(join(work, 'b-'));
    const buffer = m.openLmdbBuffer({ dir, capBytes: cap, log: m.silentLogger });
    let appended = 0;
    let maxJump = 0;
    let oldest = null;
    for (;;) {
      const f = kind.frames[appended % kind.frames.length];
      await buffer.append(buffer.nextSeq(), f.bytes, f.samples);
      appended++;
      const s = buffer.stats();
      if (oldest !== null) maxJump = Math.max(maxJump, s.oldestSeq - oldest);
      oldest = s.oldestSeq;
      if (s.counters.dropped.buffer_full > 0 && appended * f.bytes.byteLength >= fill * cap) break;
    }
    const s = buffer.stats();
    await buffer.close();
    const file = statSync(join(dir, 'buffer.mdb')).size;
    rows.push({
      capMiB, frame: kind.name, frameBytes: Math.round(kind.frames.reduce((a, f) => a + f.bytes.byteLength, 0) / kind.frames.length),
      'file/cap': Math.round((file / cap) * 1000) / 1000, overheadKiB: Math.round((file - cap) / 1024), 'payload/cap': Math.round((s.bytes / cap) * 1000) / 1000,
      frames: s.frames, maxOldestJump: maxJump,
    });
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(work, { recursive: true, force: true });
for (const r of rows) console.log(JSON.stringify(r));
