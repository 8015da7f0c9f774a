/**
 * One valid-looking frame must not store a point twice (issue 11, defect 6): a frame that lists
 * the same series twice (the same pair, or the same labels spelled through other indices) or
 * holds two samples of one series at one timestamp is rejected as `schema`, with its seq, and
 * nothing of it is stored. A real collector process, a hand-driven connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import type { BatchFrame } from '../protocol/src/frames.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startCollector, storedFor } from './support/fleet.ts';
import type { CollectorHandle } from './support/fleet.ts';
import { duplicateRows } from './support/oracle.ts';
import { killAll, stop } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

let collector: CollectorHandle;
let token: string;
beforeAll(async () => {
  collector = await startCollector();
  token = createAgentToken(collector, 'dup-series');
});
afterAll(async () => {
  await stop(collector.proc);
  killAll();
});

const T0 = Date.now();

/** A frame of one GPU series with one sample: the template the attacks change. */
function oneSeries(seq: number): BatchFrame {
  const b = new BatchBuilder();
  b.add(series('hw.gpu.utilization', { 'hw.id': 'GPU-dup-0', 'hw.type': 'gpu' }), T0, 0.5);
  return b.seal(seq, T0);
}
const values = (...xs: number[]): Uint8Array => {
  const v = new Uint8Array(xs.length * 8);
  xs.forEach((x, i) => new DataView(v.buffer).setFloat64(i * 8, x, true));
  return v;
};

describe('a frame that holds a point twice', () => {
  it('is rejected with its seq and stores nothing, however the second copy is spelled', async () => {
    const c = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, token);
    c.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'dup', hostname: 'h', clock: Date.now() });
    await c.waitFor(1);

    const f1 = oneSeries(1);
    // The same (name, label set) pair twice, both at t0.
    c.send(encodeFrame({ ...f1, sr: [...f1.sr, ...f1.sr], n: [1, 1], dt: [0, 0], v: values(0.5, 0.5) }));
    const f2 = oneSeries(2);
    // The same labels again through a second copy of the string and a second label set.
    const copy = f2.strs.length + 74;
    const ls2 = (f2.ls[0] as number[]).map((i) => (i >= 74 ? copy : i));
    c.send(encodeFrame({ ...f2, strs: [...f2.strs, ...f2.strs], ls: [...f2.ls, ls2], sr: [...f2.sr, f2.sr[0] as number, 1], n: [1, 1], dt: [0, 0], v: values(0.5, 0.5) }));
    const f3 = oneSeries(3);
    // One series, two samples at the same ts.
    c.send(encodeFrame({ ...f3, n: [2], dt: [0, 0], v: values(0.5, 0.7) }));
    // A valid frame after them.
    c.send(encodeFrame(oneSeries(4)));
    await c.waitFor(5);

    expect(c.received.slice(1, 4).map((f) => (f.t === 'error' ? [f.code, f.seq] : f))).toEqual([['schema', 1], ['schema', 2], ['schema', 3]]);
    expect(c.received[4]).toMatchObject({ t: 'ack', seq: 4 });
    expect(await storedFor(collector, 'dup-series')).toBe(1);
    expect(duplicateRows(collector)).toBe(0);
    await c.close();
  });
});
