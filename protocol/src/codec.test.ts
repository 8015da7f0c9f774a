import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { BatchBuilder, batchSampleCount, readBatch } from './batch.ts';
import { decodeFrame, encodeFrame } from './codec.ts';
import type { BatchFrame, Frame } from './frames.ts';
import { series } from './series.ts';
import { STATIC_STRINGS } from './static-strings.ts';

const T0 = 1_763_900_000_000;
const metricName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(\.[a-z0-9_]{1,8}){0,3}$/);
const labelSet = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}(\.[a-z]{1,5})?$/), fc.string({ maxLength: 40 }), { maxKeys: 4 });
const sampleArb = fc.record({ name: metricName, labels: labelSet, dt: fc.integer({ min: 0, max: 600_000 }), value: fc.double({ noNaN: true, noDefaultInfinity: true }) });

function build(samples: { name: string; labels: Record<string, string>; dt: number; value: number }[], seq: number): BatchFrame {
  const b = new BatchBuilder();
  for (const s of samples) b.add(series(s.name, s.labels), T0 + s.dt, s.value);
  return b.seal(seq, T0);
}

describe('codec: encode → decode → validate', () => {
  it('round-trips every valid batch exactly (values, timestamps, labels)', () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 40 }), (samples, seq) => {
        const frame = build(samples, seq);
        const decoded = decodeFrame(encodeFrame(frame));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok || decoded.frame.t !== 'batch') return;
        expect(decoded.frame.seq).toBe(seq);
        // One point per (series, ts): a later sample at the same ms replaces the earlier one.
        const latest = new Map<string, number>();
        for (const x of samples) latest.set(`${series(x.name, x.labels).key}@${T0 + x.dt}`, x.value);
        expect(batchSampleCount(decoded.frame)).toBe(latest.size);
        const got = readBatch(decoded.frame).flatMap((s) => Array.from(s.ts, (ts, i) => `${series(s.name, s.labels).key}@${ts}=${Object.is(s.values[i], -0) ? '-0' : s.values[i]}`));
        const want = [...latest].map(([at, value]) => `${at}=${Object.is(value, -0) ? '-0' : value}`);
        expect(got.sort()).toEqual(want.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips hello, welcome, ack and error frames', () => {
    const frames: Frame[] = [
      { t: 'hello', proto: 1, agentVersion: '0.1.0', bootId: 'b1', stream: 'abc_DEF-1', hostname: 'gpu-01', clock: T0 },
      { t: 'welcome', proto: 1, agentId: 'gpu-01', lastSeq: 0, clock: T0 },
      { t: 'ack', seq: 7, dup: true },
      { t: 'error', code: 'schema', detail: 'x', seq: 3 },
    ];
    for (const f of frames) expect(decodeFrame(encodeFrame(f))).toEqual({ ok: true, frame: f });
  });

  it('refuses a non-finite value at the builder, so it never reaches the wire', () => {
    const b = new BatchBuilder();
    expect(b.add(series('a.b'), T0, Number.NaN)).toBe(false);
    expect(b.add(series('a.b'), T0, Number.POSITIVE_INFINITY)).toBe(false);
    expect(b.sampleCount).toBe(0);
  });

  it('keeps one point per series and ms: a second sample at the same ms replaces the first', () => {
    const b = new BatchBuilder();
    expect(b.add(series('a.b', { k: 'v' }), T0, 1)).toBe(true);
    expect(b.add(series('a.b', { k: 'v' }), T0 + 1, 2)).toBe(true);
    expect(b.add(series('a.b', { k: 'v' }), T0, 3)).toBe(true);
    expect(b.sampleCount).toBe(2);
    const decoded = decodeFrame(encodeFrame(b.seal(1, T0)));
    if (!decoded.ok || decoded.frame.t !== 'batch') throw new Error('own frame rejected');
    const [only] = readBatch(decoded.frame);
    expect([...(only?.ts ?? [])]).toEqual([T0, T0 + 1]);
    expect([...(only?.values ?? [])]).toEqual([3, 2]);
  });

  it('costs at most 20 bytes a sample for one tick of an 8-GPU host', () => {
    const b = new BatchBuilder();
    const gpuMetrics = ['hw.gpu.utilization', 'hw.gpu.memory.usage', 'hw.gpu.memory.limit', 'hw.gpu.memory.utilization', 'hw.gpu.temperature', 'hw.gpu.power.draw', 'hw.gpu.clock.graphics', 'hw.gpu.clock.memory', 'hw.errors'];
    let n = 0;
    const add = (name: string, labels: Record<string, string>, value: number): void => void (b.add(series(name, labels), T0, value), n++);
    for (let g = 0; g < 8; g++) for (const m of gpuMetrics) add(m, { 'hw.id': `GPU-0000000${g}-1111-2222-3333-444455556666` }, 1000 * Math.random());
    for (const mode of ['user', 'system', 'idle', 'iowait', 'nice', 'irq', 'softirq', 'steal']) add('system.cpu.utilization', { 'cpu.mode': mode }, Math.random());
    for (const state of ['used', 'free', 'cached', 'buffers']) add('system.memory.usage', { 'system.memory.state': state }, 2 ** 33 * Math.random());
    add('system.memory.limit', {}, 2 ** 36);
    add('system.memory.utilization', {}, Math.random());
    for (const dev of ['lo', 'eth0']) for (const d of ['receive', 'transmit']) add('system.network.io', { 'network.interface.name': dev, 'network.io.direction': d }, 2 ** 40 * Math.random());
    for (const dev of ['nvme0n1', 'sda']) for (const d of ['read', 'write']) add('system.disk.io', { 'system.device': dev, 'disk.io.direction': d }, 2 ** 40 * Math.random());
    add('system.cpu.load_average.1m', {}, 3.2);
    add('sigmascope.agent.cpu.utilization', {}, 0.012);
    add('sigmascope.agent.memory.rss', {}, 7e7);
    const bytes = encodeFrame(b.seal(1, T0));
    expect(n).toBe(97);
    expect(bytes.byteLength / n).toBeLessThanOrEqual(20);
  });
});

describe('codec: hostile bytes', () => {
  const valid = encodeFrame(build([{ name: 'system.cpu.utilization', labels: { 'cpu.mode': 'user' }, dt: 0, value: 0.5 }], 1));
  const loosePackr = new Packr({ useRecords: true, structuredClone: true, moreTypes: true });

  it.each([
    ['truncated', valid.subarray(0, valid.length - 3), 'malformed'],
    ['trailing bytes', new Uint8Array([...valid, 0xc0]), 'malformed'],
    ['never-used byte 0xc1', new Uint8Array([0xc1]), 'malformed'],
    ['array claiming 2^32-1 items', new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 0x00]), 'malformed'],
    ['string claiming 4 GiB', new Uint8Array([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]), 'malformed'],
    ['deep nesting', new Uint8Array([...Array(100).fill(0x91), 0xc0]), 'too_deep'],
    ['timestamp extension', new Uint8Array([0xd6, 0xff, 0, 0, 0, 1]), 'extension_type'],
    ['a record (structure extension)', loosePackr.pack({ a: new Date(0) }), 'extension_type'],
    ['non-string map key', new Uint8Array([0x81, 0x01, 0x02]), 'schema'],
  ])('%s → %s', (_what, bytes, code) => {
    const r = decodeFrame(bytes as Uint8Array);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('refuses NaN smuggled into the value column with non_finite_value and names the seq', () => {
    const frame = build([{ name: 'a.b', labels: {}, dt: 0, value: 1 }], 9);
    new DataView(frame.v.buffer).setFloat64(0, Number.NaN, true);
    const r = decodeFrame(encodeFrame(frame));
    expect(r).toMatchObject({ ok: false, code: 'non_finite_value', seq: 9 });
  });

  it('refuses a bad metric or label name wherever it is used, even where the same batch uses a good one', () => {
    const good = build([{ name: 'a.b', labels: { 'c.d': 'x' }, dt: 0, value: 1 }, { name: 'a.c', labels: { 'c.d': 'y' }, dt: 0, value: 2 }], 4);
    const strs = [...good.strs, 'Not-A-Name'];
    const bad = STATIC_STRINGS.length + strs.length - 1;
    // The second series' metric name.
    const sr = [...good.sr];
    sr[2] = bad;
    expect(decodeFrame(encodeFrame({ ...good, strs, sr }))).toMatchObject({ ok: false, code: 'schema', seq: 4 });
    // The second label set's key (the first set's key, valid, is checked first).
    const ls = good.ls.map((set) => [...set]);
    (ls[1] as number[])[0] = bad;
    expect(decodeFrame(encodeFrame({ ...good, strs, ls }))).toMatchObject({ ok: false, code: 'schema', seq: 4 });
    expect(decodeFrame(encodeFrame({ ...good, strs })).ok).toBe(true);
  });

  it('refuses __proto__ keys and unknown fields without polluting prototypes', () => {
    const bytes = new Packr({ useRecords: false }).pack(JSON.parse('{"t":"ack","seq":1,"__proto__":{"polluted":true}}'));
    const r = decodeFrame(bytes);
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on 20,000 mutations of a valid frame', () => {
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const m = Uint8Array.from(valid);
      for (let k = 0; k <= rand(4); k++) m[rand(m.length)] = rand(256);
      const cut = rand(10) === 0 ? m.subarray(0, rand(m.length)) : m;
      const r = decodeFrame(cut);
      if (!r.ok) rejected++;
      else expect(r.frame.t).toMatch(/^(hello|welcome|batch|ack|error)$/);
    }
    expect(rejected).toBeGreaterThan(10_000);
  });
});
