import { describe, expect, it } from 'vitest';
import { cpuOf, fleetRows, gpusOf } from './fleet-rows.ts';
import type { LatestPoint } from './fleet-rows.ts';

const pt = (agent: string, name: string, labels: Record<string, string>, ts: number, value: number): LatestPoint => ({ agent, name, labels, ts, value });

describe('fleet rows', () => {
  const now = 100_000;
  const latest = [
    pt('a1', 'system.cpu.utilization', {}, 99_500, 0.25),
    pt('a1', 'hw.gpu.utilization', { 'hw.id': '0' }, 99_500, 0.9),
    pt('a1', 'hw.gpu.utilization', { 'hw.id': '1' }, 99_500, 0.5),
    pt('a1', 'hw.gpu.temperature', { 'hw.id': '1' }, 99_500, 60),
    pt('a2', 'system.cpu.utilization', { 'cpu.mode': 'idle' }, 50_000, 0.8),
    pt('a2', 'system.cpu.utilization', { 'cpu.mode': 'user' }, 50_000, 0.15),
  ];
  const agents = [
    { id: 'a2', name: 'gpu-02', hostname: 'gpu-02.lan', connected: true, lastSeen: 60_000, clockSkewMs: 2 * 86_400_000, quarantinedSamples: 208, series: 10_000, refusedSamples: 1_234 },
    { id: 'a1', name: 'gpu-01', hostname: 'gpu-01.lan', connected: true, lastSeen: 99_000, clockSkewMs: 3, buffer: { frames: 4 } },
    { id: 'a3', hostname: 'old', connected: false, lastSeen: 1_000 },
  ];
  const violations = [
    { id: 1, agent: 'a1', ts: 1, name: 'x', labels: {}, rule: '1', value: 1, center: 0, sigma: 1, state: 'open' as const },
    { id: 2, agent: 'a1', ts: 1, name: 'x', labels: {}, rule: '1', value: 1, center: 0, sigma: 1, state: 'resolved' as const },
  ];

  it('joins agents with their latest values and open violations', () => {
    const rows = fleetRows(agents, latest, violations, now);
    expect(rows.map((r) => r.name)).toEqual(['gpu-01', 'gpu-02', 'old']);
    expect(rows[0]).toMatchObject({ health: 'live', lagMs: 500, cpu: 0.25, gpuCount: 2, gpuUtil: 0.7, openViolations: 1, bufferFrames: 4, clockSkewMs: 3, quarantined: 0, series: null, refused: 0 });
    expect(rows[1]).toMatchObject({ health: 'stale', lagMs: 50_000, gpuCount: 0, gpuUtil: null, bufferFrames: null, clockSkewMs: 2 * 86_400_000, quarantined: 208, series: 10_000, refused: 1_234 });
    expect(rows[1]?.cpu).toBeCloseTo(0.2);
    expect(rows[2]).toMatchObject({ health: 'offline', lagMs: 99_000, cpu: null, openViolations: 0 });
  });

  it('reads CPU only from an unambiguous series', () => {
    expect(cpuOf([pt('a', 'system.cpu.utilization', { 'cpu.mode': 'user' }, 0, 0.3)])).toBeNull();
    expect(gpusOf([])).toEqual({ count: 0, util: null });
  });
});
