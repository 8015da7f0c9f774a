/**
 * Hostile frames for the collector's ingest (RELIABILITY.md F1), from a seeded generator so a
 * failure can be replayed: one in ten is from a list of crafted attacks (huge length headers,
 * deep nesting, extension types, records and structured clone, NaN and Infinity in a batch,
 * `__proto__`, 64-bit integers, a negative seq), the rest are a valid batch with one to three bits
 * flipped and, one in eight, truncated. Mutated frames that happen to stay valid are valid.
 */
import { Packr } from 'msgpackr';
import { BatchBuilder } from '../../protocol/src/batch.ts';
import { encodeFrame } from '../../protocol/src/codec.ts';
import { series } from '../../protocol/src/series.ts';

/** A valid batch frame of `samples` CPU samples from `t0`. */
export function cpuBatch(seq: number, samples: number, t0: number): Uint8Array {
  const b = new BatchBuilder();
  for (let i = 0; i < samples; i++) b.add(series('system.cpu.utilization', { 'cpu.mode': `m${i % 4}` }), t0 + i, i / samples);
  return encodeFrame(b.seal(seq, t0));
}

/** The crafted attacks, each a whole frame. */
export function craftedFrames(t0: number): Uint8Array[] {
  const loose = new Packr({ useRecords: true, structuredClone: true, moreTypes: true });
  const plain = new Packr({ useRecords: false });
  // A valid one-sample batch whose value is then overwritten (the builder refuses non-finite values).
  const batchWith = (value: number): Uint8Array => {
    const b = new BatchBuilder();
    b.add(series('system.cpu.utilization'), t0, 0.5);
    const frame = b.seal(7, t0);
    new DataView(frame.v.buffer, frame.v.byteOffset).setFloat64(0, value, true);
    return encodeFrame(frame);
  };
  return [
    new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]), // array claiming 4 billion items
    new Uint8Array([0xdf, 0xff, 0xff, 0xff, 0xff]), // map claiming 4 billion entries
    new Uint8Array([0xdb, 0x7f, 0xff, 0xff, 0xff, 0x61]), // str32 claiming 2 GiB
    new Uint8Array([0xc6, 0xff, 0xff, 0xff, 0xff, 0x00]), // bin32 claiming 4 GiB
    new Uint8Array([...Array(5000).fill(0x91), 0xc0]), // deep nesting
    new Uint8Array([...Array(200).fill(0x81).flatMap((b) => [b, 0xa1, 0x61]), 0xc0]), // nested maps
    loose.pack({ t: 'batch', seq: 1, when: new Date() }), // extension types
    loose.pack([{ t: 'batch', seq: 1 }, { t: 'batch', seq: 2 }]), // records
    new Uint8Array([0xd4, 0x01, 0x00]), // fixext1
    new Uint8Array([0xc7, 0x03, 0x42, 1, 2, 3]), // ext8
    plain.pack(JSON.parse('{"t":"batch","seq":1,"__proto__":{"x":1}}')),
    plain.pack(JSON.parse('{"t":"hello","proto":1,"constructor":{"prototype":{"x":1}}}')),
    new Uint8Array([0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]), // a bare NaN
    batchWith(Number.NaN),
    batchWith(Number.POSITIVE_INFINITY),
    new Uint8Array([0x82, 0xa1, 0x74, 0xa5, ...new TextEncoder().encode('batch'), 0xa3, 0x73, 0x65, 0x71, 0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // seq 2^64-1
    plain.pack({ t: 'batch', seq: -5, ts: t0 }),
    plain.pack({ t: 'ack', seq: 1 }), // a collector's frame from an agent
    new Uint8Array(0),
  ];
}

/** A seeded stream of hostile frames around `template` (see the module comment). */
export function hostileFrames(template: Uint8Array, t0: number, seed = 7): () => Uint8Array {
  const crafted = craftedFrames(t0);
  let s = seed;
  const rand = (n: number): number => ((s = (s * 1103515245 + 12345) % 2 ** 31), s % n);
  let k = 0;
  return () => {
    if (k++ % 10 === 0) return crafted[rand(crafted.length)] as Uint8Array;
    const m = Uint8Array.from(template);
    for (let f = 0; f <= rand(3); f++) {
      const at = rand(m.length);
      m[at] = (m[at] as number) ^ (1 << rand(8));
    }
    return rand(8) === 0 ? m.subarray(0, rand(m.length)) : m;
  };
}
