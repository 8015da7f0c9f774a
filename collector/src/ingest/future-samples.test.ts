import { describe, expect, it } from 'vitest';
import { BatchBuilder, readBatch } from '@sigmascope/protocol/batch';
import { decodeFrame } from '@sigmascope/protocol/codec';
import type { BatchFrame } from '@sigmascope/protocol/frames';
import { series } from '@sigmascope/protocol/series';
import { loadCollectorConfig } from '../config/collector-config.ts';
import { DEFAULT_FUTURE_TOLERANCE_MS, splitFutureSamples } from './future-samples.ts';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const DAY = 86_400_000;
const gpu = series('hw.gpu.utilization', { 'hw.id': 'GPU-0', 'hw.type': 'gpu' });
const cpu = series('system.cpu.utilization', { 'cpu.mode': 'user' });

function frame(points: [typeof gpu, number, number][]): BatchFrame {
  const b = new BatchBuilder();
  for (const [s, ts, v] of points) b.add(s, ts, v);
  b.addEvent({ kind: 'lifecycle', ts: NOW, what: 'boot' });
  return b.seal(17, NOW);
}

const flat = (f: BatchFrame): string[] => readBatch(f).flatMap((s) => Array.from(s.ts, (ts, i) => `${s.name}@${ts - NOW}=${Object.is(s.values[i], -0) ? '-0' : s.values[i]}`));

describe('splitFutureSamples', () => {
  it('leaves a frame within the tolerance alone (no copy)', () => {
    const f = frame([[gpu, NOW, 0.5], [cpu, NOW + DEFAULT_FUTURE_TOLERANCE_MS, 0.2]]);
    expect(splitFutureSamples(f, NOW + DEFAULT_FUTURE_TOLERANCE_MS)).toBeNull();
  });

  it('moves the samples past the limit out and re-encodes the rest with the same seq and events', () => {
    const f = frame([[gpu, NOW, -0], [gpu, NOW + 2 * DAY, 0.75], [cpu, NOW + 500, 5e-324], [cpu, NOW + 2 * DAY + 500, 1]]);
    const split = splitFutureSamples(f, NOW + DEFAULT_FUTURE_TOLERANCE_MS);
    expect(split).not.toBeNull();
    if (split === null) return;
    expect(split.future).toEqual([
      { name: 'hw.gpu.utilization', labels: { 'hw.id': 'GPU-0', 'hw.type': 'gpu' }, ts: NOW + 2 * DAY, value: 0.75 },
      { name: 'system.cpu.utilization', labels: { 'cpu.mode': 'user' }, ts: NOW + 2 * DAY + 500, value: 1 },
    ]);
    const decoded = decodeFrame(split.bytes);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || decoded.frame.t !== 'batch') return;
    expect(flat(decoded.frame)).toEqual(['hw.gpu.utilization@0=-0', 'system.cpu.utilization@500=5e-324']);
    expect(flat(split.frame)).toEqual(flat(decoded.frame));
    expect(decoded.frame.seq).toBe(17);
    expect(decoded.frame.ev).toEqual(f.ev);
  });

  it('keeps a frame whose every sample is ahead as an empty batch (its seq and events still count)', () => {
    const split = splitFutureSamples(frame([[gpu, NOW + DAY, 1], [cpu, NOW + DAY, 2]]), NOW + DEFAULT_FUTURE_TOLERANCE_MS);
    expect(split?.future).toHaveLength(2);
    const decoded = decodeFrame(split?.bytes ?? new Uint8Array());
    expect(decoded).toMatchObject({ ok: true, frame: { t: 'batch', seq: 17, n: [], ev: [{ kind: 'lifecycle', what: 'boot' }] } });
  });
});

describe('ingest.futureToleranceMinutes', () => {
  const load = (ingest: unknown) => loadCollectorConfig({ ingest }, 'collector.yaml', {}, {});
  it('defaults to 6 hours and takes minutes', () => {
    expect(load(undefined).futureToleranceMs).toBe(DEFAULT_FUTURE_TOLERANCE_MS);
    expect(load({ futureToleranceMinutes: 90 }).futureToleranceMs).toBe(90 * 60_000);
  });
  it('refuses a bad value naming it', () => {
    expect(() => load({ futureToleranceMinutes: 'soon' })).toThrow(/collector\.yaml: ingest\.futureToleranceMinutes: "soon" is not an integer/);
    expect(() => load({ futureToleranceMinutes: 0 })).toThrow(/ingest\.futureToleranceMinutes/);
    expect(() => load({ tolerance: 5 })).toThrow(/ingest/);
  });
});
