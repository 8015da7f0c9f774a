import { describe, expect, it } from 'vitest';
import type { ExportBatch, ExportSeries } from '../export-batch.ts';
import { encodeWriteRequest, promSeries, WriteRequestType } from './write-request.ts';

/** The reference: protobufjs encoding the whole WriteRequest message from its plain objects. */
const byProtobufjs = (batch: ExportBatch): Uint8Array => WriteRequestType.encode({ timeseries: promSeries(batch) }).finish();

interface Decoded {
  timeseries?: { labels?: { name: string; value: string }[]; samples?: { value?: number; timestamp?: number }[] }[];
}

/**
 * Decodes `bytes` with protobufjs and checks it is the batch: the labels promSeries gives, and every
 * sample's value (Object.is: -0 and NaN too) and timestamp. protobufjs leaves a proto3 field at
 * its default (0) out of what it writes and the encoder writes it; both decode the same.
 */
function expectDecodesAs(bytes: Uint8Array, batch: ExportBatch): void {
  const got = WriteRequestType.toObject(WriteRequestType.decode(bytes), { longs: Number, defaults: true }) as Decoded;
  const want = promSeries(batch);
  expect(got.timeseries?.length ?? 0).toBe(want.length);
  want.forEach((w, k) => {
    const g = got.timeseries?.[k];
    expect(g?.labels).toEqual(w.labels);
    expect(g?.samples?.length ?? 0).toBe(w.samples.length);
    w.samples.forEach((ws, i) => {
      expect(g?.samples?.[i]?.timestamp).toBe(ws.timestamp);
      expect(Object.is(g?.samples?.[i]?.value, ws.value)).toBe(true);
    });
  });
}

let nextId = 1;
function series(ts: number[], values: number[], labels: Record<string, string> = { 'gpu.index': '3' }): ExportSeries {
  return { seriesId: nextId++, agent: 'gpu-node-07', host: 'gpu-node-07.lab', name: 'hw.gpu.utilization', labels, ts: Float64Array.from(ts), values: Float64Array.from(values) };
}

describe('encodeWriteRequest', () => {
  it('writes byte for byte what protobufjs writes for the same WriteRequest', () => {
    const now = 1_764_720_000_000;
    const batch: ExportBatch = {
      series: [
        series([now], [0.42]),
        series([now, now + 500, now + 1_000], [-0, 1e-300, Number.MAX_VALUE], { 'gpu.index': '0', 'gpu.uuid': 'GPU-5f3c' }),
        series([1, 127, 128, 16_383, 16_384, 2 ** 35, Number.MAX_SAFE_INTEGER], [1, 2, 3, 4, 5, 6, 7]),
        series([], []),
        series([now], [Number.NaN], {}),
        series([now], [Number.POSITIVE_INFINITY], { agent: 'clash', host: 'clash' }),
      ],
    };
    expect(Buffer.from(encodeWriteRequest(batch)).equals(Buffer.from(byProtobufjs(batch)))).toBe(true);
  });

  it('writes zero values and timestamps, which decode as zero', () => {
    const batch: ExportBatch = { series: [series([0, 0, 1_764_720_000_000], [0, -0, 0])] };
    expectDecodesAs(encodeWriteRequest(batch), batch);
  });

  it('hands timestamps that are not non-negative safe integers to protobufjs, and agrees with it', () => {
    const batch: ExportBatch = { series: [series([-1, 5], [1, 2]), series([1.5], [3]), series([1_764_720_000_000], [4])] };
    expect(Buffer.from(encodeWriteRequest(batch)).equals(Buffer.from(byProtobufjs(batch)))).toBe(true);
  });

  it('decodes, with protobufjs, as each of 2,000 random batches', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let b = 0; b < 2_000; b++) {
      const n = Math.floor(rand() * 6);
      const batch: ExportBatch = {
        series: Array.from({ length: n }, () => {
          const k = Math.floor(rand() * 5);
          const ts = Array.from({ length: k }, () => Math.floor(rand() * 2 ** (1 + Math.floor(rand() * 52))));
          return series(ts, ts.map(() => (rand() - 0.5) * 10 ** Math.floor(rand() * 12)), { 'gpu.index': String(Math.floor(rand() * 8)) });
        }),
      };
      expectDecodesAs(encodeWriteRequest(batch), batch);
    }
  });
});
