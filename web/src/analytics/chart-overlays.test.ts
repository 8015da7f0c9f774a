import { describe, expect, it } from 'vitest';
import { anomalyOverlay, forecastOverlay, overlaysEnd } from './chart-overlays.ts';

describe('chart overlays', () => {
  it('marks the collector\'s anomalies and the agent\'s events once each, where both saw the same one once', () => {
    const r = { agent: 'a', name: 'hw.gpu.temperature', labels: {}, stepMs: 10_000, threshold: 6, scores: [], anomalies: [{ ts: 100_000, value: 84, baseline: 59, score: 400 }] };
    const o = anomalyOverlay(r, [{ ts: 104_000, value: 84 }, { ts: 500_000, value: 90 }], 'celsius', '#000');
    expect(o?.datasets[0]?.data).toEqual([{ x: 100_000, y: 84 }, { x: 500_000, y: 90 }]);
    expect(o?.datasets[0]?.yAxisID).toBe('y-celsius');
    expect(o?.legend).toEqual({ label: 'Anomalies (2)', color: '#D55E00', kind: 'marker' });
    expect(anomalyOverlay(null, [], 'celsius', '#000')).toBeNull();
  });

  it('draws a forecast as a dashed line over a band between its bounds, at the middle of each step', () => {
    const f = { agent: 'a', name: 'hw.gpu.memory.usage', stepMs: 60_000, level: 0.8, kind: 'AAN', points: [[0, 10, 9, 11], [60_000, 11, 9.5, 12.5]] as [number, number, number, number][] };
    const o = forecastOverlay(f, 'bytes');
    expect(o?.datasets.map((d) => [d.label, d.fill ?? null])).toEqual([['Forecast 80 % low', false], ['Forecast 80 % high', '-1'], ['Forecast (AAN)', null]]);
    expect(o?.datasets[2]?.data).toEqual([{ x: 30_000, y: 10 }, { x: 90_000, y: 11 }]);
    expect(overlaysEnd(o ? [o] : [])).toBe(90_000);
  });
});
