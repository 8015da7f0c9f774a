import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { BatchBuilder } from './batch.ts';
import { decodeFrame, encodeFrame } from './codec.ts';
import { FrameDecoder } from './frame-decoder.ts';
import type { BatchFrame } from './frames.ts';
import { series } from './series.ts';

const T0 = 1_763_900_000_000;
const HOST = [
  ...['user', 'system', 'idle', 'iowait'].map((m) => series('system.cpu.utilization', { 'cpu.mode': m })),
  ...[0, 1, 2].flatMap((g) => ['hw.gpu.utilization', 'hw.gpu.temperature'].map((m) => series(m, { 'hw.id': `GPU-${g}-6f1c`, 'hw.type': 'gpu' }))),
];

function tick(seq: number, list = HOST, withEvent = false): BatchFrame {
  const b = new BatchBuilder();
  list.forEach((s, i) => b.add(s, T0 + seq * 500, seq * 0.01 + i));
  if (withEvent) b.addEvent({ kind: 'lifecycle', ts: T0, what: 'boot' });
  return b.seal(seq, T0);
}

/** A decode result as comparable data: binary as arrays, map keys in sorted order. */
const plain = (r: ReturnType<typeof decodeFrame>): unknown => {
  if (!r.ok) return { ok: false, code: r.code, seq: r.seq };
  const sorted = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return Array.from(v);
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  return { ok: true, frame: sorted(r.frame) };
};

describe('FrameDecoder', () => {
  it('decodes a stream of ticks as decodeFrame does, reusing the dictionary after the first', () => {
    const d = new FrameDecoder();
    for (let seq = 1; seq <= 50; seq++) {
      const bytes = encodeFrame(tick(seq, HOST, seq === 7));
      expect(plain(d.decode(bytes))).toEqual(plain(decodeFrame(bytes)));
    }
    expect(d.reused).toBe(49);
  });

  it('takes the full path when the dictionary changes, then reuses the new one', () => {
    const d = new FrameDecoder();
    const more = [...HOST, series('system.memory.utilization')];
    const frames = [tick(1), tick(2), tick(3, more), tick(4, more), tick(5)].map((f) => encodeFrame(f));
    for (const bytes of frames) expect(plain(d.decode(bytes))).toEqual(plain(decodeFrame(bytes)));
    // 2 reuses its predecessor's, 3 and 5 change it, 4 reuses 3's.
    expect(d.reused).toBe(2);
  });

  it('agrees with decodeFrame on 20,000 mutations of frames that follow a valid one', () => {
    let seed = 11;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const valid = encodeFrame(tick(1));
    let rejected = 0;
    let reused = 0;
    for (let i = 0; i < 20_000; i++) {
      const d = new FrameDecoder();
      d.decode(valid);
      const m = encodeFrame(tick(2 + (i % 5)));
      for (let k = 0; k <= rand(3); k++) m[rand(m.length)] = rand(256);
      const cut = rand(10) === 0 ? m.subarray(0, rand(m.length)) : m;
      const got = d.decode(cut);
      expect(plain(got)).toEqual(plain(decodeFrame(cut)));
      if (!got.ok) rejected++;
      reused += d.reused;
    }
    expect(rejected).toBeGreaterThan(5_000);
    // Mutations that miss the dictionary take the reusing path (about a fifth here) and still agree.
    expect(reused).toBeGreaterThan(2_000);
  });

  it('reads a frame with a second, differently spelled dictionary key as decodeFrame does', () => {
    const d = new FrameDecoder();
    const first = tick(1);
    d.decode(encodeFrame(first));
    // fixmap of the batch + one more entry: "strs" written as str8, with a different array.
    const base = encodeFrame(tick(2));
    const extraKey = Uint8Array.from([0xd9, 4, ...Array.from('strs', (c) => c.charCodeAt(0))]);
    const extraValue = new Packr({ useRecords: false }).pack(['other']);
    const bytes = new Uint8Array([(base[0] as number) + 1, ...base.subarray(1), ...extraKey, ...extraValue]);
    expect(plain(d.decode(bytes))).toEqual(plain(decodeFrame(bytes)));
    expect(d.reused).toBe(0);
  });

  it('shares the remembered arrays between frames', () => {
    const d = new FrameDecoder();
    const a = d.decode(encodeFrame(tick(1)));
    const b = d.decode(encodeFrame(tick(2)));
    if (!a.ok || !b.ok || a.frame.t !== 'batch' || b.frame.t !== 'batch') throw new Error('expected batches');
    expect(b.frame.strs).toBe(a.frame.strs);
    expect(b.frame.ls).toBe(a.frame.ls);
    expect(b.frame.sr).toBe(a.frame.sr);
    // Shared, so frozen: a consumer that tried to change them would throw, not corrupt later frames.
    expect(Object.isFrozen(b.frame.strs) && Object.isFrozen(b.frame.sr) && b.frame.ls.every((set) => Object.isFrozen(set))).toBe(true);
    expect(b.frame.seq).toBe(2);
  });
});
