import { describe, expect, it } from 'vitest';
import type { LivePoint } from '@sigmascope/protocol/live';
import { SeriesWindow } from './series-window.ts';

const p = (ts: number, value: number, labels: Record<string, string> = { 'hw.id': '0' }, agent = 'a1'): LivePoint => ({ agent, name: 'hw.gpu.utilization', labels, ts, value });

describe('SeriesWindow', () => {
  it('keeps each series sorted and de-duplicated by timestamp', () => {
    const w = new SeriesWindow(100, true);
    w.add([p(1000, 0.1), p(2000, 0.2), p(1500, 0.15), p(2000, 0.25)]);
    const [s] = w.select({ name: 'hw.gpu.utilization' });
    expect(s?.points).toEqual([[1000, 0.1], [1500, 0.15], [2000, 0.25]]);
  });

  it('seeds history under live points that arrived first', () => {
    const w = new SeriesWindow();
    w.add([p(5000, 0.5)]);
    w.seed('a1', 'hw.gpu.utilization', { 'hw.id': '0' }, [[3000, 0.3], [4000, 0.4], [5000, 0.45]]);
    expect(w.select({ name: 'hw.gpu.utilization' })[0]?.points).toEqual([[3000, 0.3], [4000, 0.4], [5000, 0.45]]);
    w.add([p(6000, 0.6)]);
    expect(w.select({ name: 'hw.gpu.utilization' })[0]?.points.length).toBe(4);
  });

  it('selects by agent and labels, trims by time and caps points', () => {
    const w = new SeriesWindow(3, true);
    w.add([p(1, 1), p(2, 2), p(3, 3), p(4, 4), p(1, 9, { 'hw.id': '1' }), p(1, 7, { 'hw.id': '0' }, 'a2')]);
    expect(w.select({ name: 'hw.gpu.utilization', agent: 'a1', labels: { 'hw.id': '0' } })[0]?.points).toEqual([[2, 2], [3, 3], [4, 4]]);
    expect(w.select({ name: 'hw.gpu.utilization', agent: 'a1' }).length).toBe(2);
    expect(w.latest().find((l) => l.agent === 'a2')).toEqual({ agent: 'a2', name: 'hw.gpu.utilization', labels: { 'hw.id': '0' }, ts: 1, value: 7 });
    w.trim(3);
    expect(w.all().length).toBe(1);
  });

  it('keeps history only for watched series, the newest point for the rest', () => {
    const w = new SeriesWindow();
    w.watch({ name: 'hw.gpu.utilization', agent: 'a1' });
    w.add([p(1, 1), p(2, 2), p(1, 5, {}, 'a2'), p(2, 6, {}, 'a2')]);
    expect(w.select({ name: 'hw.gpu.utilization', agent: 'a1' })[0]?.points.length).toBe(2);
    expect(w.select({ name: 'hw.gpu.utilization', agent: 'a2' })[0]?.points).toEqual([[2, 6]]);
  });
});
