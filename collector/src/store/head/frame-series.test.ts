import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '@sigmascope/protocol/batch';
import { decodeFrame, encodeFrame } from '@sigmascope/protocol/codec';
import type { BatchFrame } from '@sigmascope/protocol/frames';
import { series } from '@sigmascope/protocol/series';
import { FrameSeriesCache } from './frame-series.ts';

/** A frame as the collector sees it: decoded from bytes, so no two frames share arrays. */
function frame(seq: number, gpu: string): BatchFrame {
  const b = new BatchBuilder();
  b.add(series('hw.gpu.utilization', { 'hw.id': gpu }), 1_735_689_600_000 + seq * 500, 0.5);
  b.add(series('system.memory.utilization'), 1_735_689_600_000 + seq * 500, 0.25);
  return (decodeFrame(encodeFrame(b.seal(seq, 0))) as { frame: BatchFrame }).frame;
}

describe('frame series cache', () => {
  it('knows a dictionary again in a later frame, and only the same dictionary', () => {
    const cache = new FrameSeriesCache();
    expect(cache.lookup(frame(1, 'GPU-0'))).toBeNull();
    cache.propose(frame(1, 'GPU-0'), [11, 12]);
    cache.committed();
    expect(cache.lookup(frame(2, 'GPU-0'))?.ids).toEqual([11, 12]);
    expect(cache.lookup(frame(3, 'GPU-1'))).toBeNull();
  });

  it('lets a later frame of the same transaction use a proposal, and forgets it on rollback', () => {
    const cache = new FrameSeriesCache();
    cache.propose(frame(1, 'GPU-0'), [11, 12]);
    cache.committed();
    cache.propose(frame(2, 'GPU-1'), [13, 14]);
    expect(cache.lookup(frame(3, 'GPU-1'))?.ids).toEqual([13, 14]);
    cache.rolledBack();
    expect(cache.lookup(frame(4, 'GPU-1'))).toBeNull();
    expect(cache.lookup(frame(5, 'GPU-0'))?.ids).toEqual([11, 12]);
  });
});
