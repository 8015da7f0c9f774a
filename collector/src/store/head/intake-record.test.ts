import { describe, expect, it } from 'vitest';
import { BatchBuilder, readBatch } from '@sigmascope/protocol/batch';
import { decodeFrame, encodeFrame } from '@sigmascope/protocol/codec';
import type { BatchFrame } from '@sigmascope/protocol/frames';
import { series } from '@sigmascope/protocol/series';
import { CorruptBytes } from '../chunks/byte-stream.ts';
import { decodeIntake, encodeFrameIntake, encodeIntake, encodeSeriesIds } from './intake-record.ts';

const T0 = Date.UTC(2025, 0, 1);
const VALUES = [0.5, -0, 5e-324, -1.7976931348623157e308, 1e-310, 42];

function frameBytes(seq: number, ticks: number): Uint8Array {
  const b = new BatchBuilder();
  for (let t = 0; t < ticks; t++) {
    b.add(series('hw.gpu.temperature', { 'hw.id': 'GPU-0' }), T0 + t * 500, VALUES[(seq + t) % VALUES.length] as number);
    b.add(series('system.memory.utilization'), T0 + t * 500 + 1, (seq * 7 + t) / 100);
  }
  return encodeFrame(b.seal(seq, T0));
}

const bits = (a: Float64Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

describe('intake record', () => {
  it('keeps the frames of a group as received and gives back every point with its series id, bit for bit', () => {
    const frames = [frameBytes(1, 3), frameBytes(2, 1), frameBytes(3, 2)];
    const record = encodeFrameIntake(frames.map((bytes, i) => ({ idBytes: encodeSeriesIds([7 + i, 2 ** 33]), bytes })));
    const got = decodeIntake(record);
    const want = frames.flatMap((bytes, i) => readBatch((decodeFrame(bytes) as { frame: BatchFrame }).frame).map((s, k) => ({ id: k === 0 ? 7 + i : 2 ** 33, s })));
    expect(got.map((p) => p.seriesId)).toEqual(want.map((w) => w.id));
    expect(got.map((p) => Array.from(p.ts))).toEqual(want.map((w) => Array.from(w.s.ts)));
    expect(got.map((p) => bits(p.values))).toEqual(want.map((w) => bits(w.s.values)));
  });

  it('still reads a points record, which never starts with the frames mark', () => {
    const ts = Float64Array.of(T0, T0 + 500);
    const values = Float64Array.of(Number.NaN, -0);
    const record = encodeIntake([{ seriesId: 3, ts, values }]);
    expect(record[0]).not.toBe(0);
    const [p] = decodeIntake(record);
    expect(p?.seriesId).toBe(3);
    expect(bits(p?.values as Float64Array)).toEqual(bits(values));
    expect(() => encodeIntake([])).toThrow(RangeError);
  });

  it('refuses a frames record that is cut short, has ids for another number of series, or holds a bad frame', () => {
    const bytes = frameBytes(1, 2);
    const good = encodeFrameIntake([{ idBytes: encodeSeriesIds([1, 2]), bytes }]);
    expect(() => decodeIntake(good.subarray(0, good.length - 3))).toThrow(CorruptBytes);
    expect(() => decodeIntake(encodeFrameIntake([{ idBytes: encodeSeriesIds([1]), bytes }]))).toThrow(CorruptBytes);
    const flipped = Uint8Array.from(bytes);
    flipped[0] = 0xc1;
    expect(() => decodeIntake(encodeFrameIntake([{ idBytes: encodeSeriesIds([1, 2]), bytes: flipped }]))).toThrow(CorruptBytes);
  });
});
