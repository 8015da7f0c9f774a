import { describe, expect, it } from 'vitest';
import { AnomalyDetector } from './anomaly-detector.ts';
import { anomalyOptions, DEFAULT_ANOMALY_OPTIONS, LIVE_ANOMALY_OPTIONS } from './anomaly-options.ts';
import type { AnomalyOptions } from './anomaly-options.ts';
import { detectAnomalies } from './detect-series.ts';
import { seededNormal } from '../spc/seeded-normal.ts';

const FIVE_MIN = 300_000;
const T0 = Date.UTC(2024, 0, 1);
const opts = (o: Record<string, unknown>): AnomalyOptions => {
  const r = anomalyOptions(o);
  if (!r.ok) throw new Error(r.error);
  return r.options;
};
const times = (n: number, step = FIVE_MIN): number[] => Array.from({ length: n }, (_, i) => T0 + i * step);

describe('AnomalyDetector', () => {
  it('warms up on its window, then flags a spike once, at the spike', () => {
    const rnd = seededNormal(1);
    const values = Array.from({ length: 600 }, (_, i) => 100 + rnd() + (i === 300 ? 12 : 0));
    const r = detectAnomalies(times(600), values, opts({ window: 48, seasonality: 'none' }));
    expect(r.judged).toBe(600 - 48);
    expect([...r.scores.slice(0, 48)].every((s) => s === 0)).toBe(true);
    expect(r.anomalies.map((a) => a.index)).toEqual([300]);
    // 12 σ above a median of about 100: the score says so in robust σ.
    expect(r.anomalies[0]?.score).toBeGreaterThan(9);
    expect(r.anomalies[0]?.baseline).toBeCloseTo(100, 0);
  });

  it('a lasting level shift is one event at its start, and the baseline follows it', () => {
    const rnd = seededNormal(2);
    const values = Array.from({ length: 900 }, (_, i) => rnd() + (i >= 400 ? 8 : 0));
    const r = detectAnomalies(times(900), values, opts({ window: 48, seasonality: 'none' }));
    expect(r.anomalies.map((a) => a.index)).toEqual([400]);
    const d = new AnomalyDetector(opts({ window: 48, seasonality: 'none' }));
    let last = null;
    for (let i = 0; i < 900; i++) last = d.push(T0 + i * FIVE_MIN, values[i] as number);
    expect(last?.baseline).toBeCloseTo(8, 0);
    expect(last?.state).toBe('normal');
  });

  it('finds a small sustained shift through the EWMA that single points do not show', () => {
    const rnd = seededNormal(3);
    const values = Array.from({ length: 800 }, (_, i) => rnd() + (i >= 500 ? 2 : 0));
    const o = opts({ window: 200, seasonality: 'none', lambda: 0.1, threshold: 5 });
    const r = detectAnomalies(times(800), values, o);
    const first = r.anomalies.find((a) => a.index >= 500);
    expect(first).toBeDefined();
    expect(first!.index).toBeLessThan(540);
    // No single point of the shift is 5 σ out: the EWMA found it.
    expect(Math.max(...values.slice(500, (first!.index) + 1).map((v) => Math.abs(v)))).toBeLessThan(5.5);
  });

  it('stays quiet on in-control normal data: no event in 400,000 points with the live defaults', () => {
    const rnd = seededNormal(4);
    const n = 400_000;
    const values = Array.from({ length: n }, () => rnd());
    const live = detectAnomalies(times(n, 10_000), values, { ...LIVE_ANOMALY_OPTIONS, seasonality: 'none' });
    expect(live.anomalies).toEqual([]);
    // The NAB-tuned threshold trades false alarms for early detection: 26 events (one per 15,000 points).
    const nab = detectAnomalies(times(n, 10_000), values, { ...DEFAULT_ANOMALY_OPTIONS, seasonality: 'none', quietPoints: 30 });
    expect(nab.anomalies.length).toBeGreaterThan(10);
    expect(nab.anomalies.length).toBeLessThan(50);
  });

  it('guards MAD = 0: whole degrees that rarely move do not alarm on a one-degree step, a jump of 15 does', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i === 350 ? 60 : i % 17 === 0 ? 46 : 45));
    const r = detectAnomalies(times(400), values, opts({ window: 48, seasonality: 'none' }));
    expect(r.anomalies.map((a) => a.index)).toEqual([350]);
    // The scale was the resolution (1 degree): 15 degrees is 15 σ.
    expect(r.anomalies[0]?.score).toBeCloseTo(15, 5);
  });

  it('a series that never moved has a scale of 10⁻³ of its level', () => {
    const values = [...Array.from({ length: 60 }, () => 200), 200.1, 201];
    const r = detectAnomalies(times(62), values, opts({ window: 48, seasonality: 'none' }));
    expect(r.scores[60]).toBeCloseTo(0.5, 5); // 0.1 / 0.2
    expect(r.anomalies.map((a) => a.index)).toEqual([61]);
  });

  it('a flat line that jumps is judged by the line, not by the jump (a pinned sensor: 59 °C, then 84 °C)', () => {
    const values = [...Array.from({ length: 30 }, () => 59), ...Array.from({ length: 10 }, () => 84)];
    const r = detectAnomalies(times(40), values, { ...LIVE_ANOMALY_OPTIONS, window: 20, seasonality: 'none' });
    expect(r.anomalies.map((a) => a.index)).toEqual([30]);
    expect(r.anomalies[0]?.score).toBeCloseTo(25 / 0.059, 6);
  });

  it('with a daily profile a working day starting at 09:00 is usual after two days; without one it alarms every morning', () => {
    const rnd = seededNormal(5);
    const n = 6 * 288;
    const ts = times(n);
    const values = ts.map((t) => {
      const hour = new Date(t).getUTCHours();
      return (hour >= 9 && hour < 17 ? 50 : 10) + rnd();
    });
    const daily = detectAnomalies(ts, values, opts({ seasonality: 'daily' }));
    const none = detectAnomalies(ts, values, opts({ seasonality: 'none' }));
    const days = (r: typeof daily) => [...new Set(r.anomalies.map((a) => Math.floor(a.index / 288)))];
    // The window (a day) is full from day 1 on.
    expect(days(none)).toEqual([1, 2, 3, 4, 5]);
    expect(days(daily).every((d) => d < 3)).toBe(true);
    // An unusual value at 10:00 on day 4 is still found with the profile.
    values[4 * 288 + 120] = 80;
    expect(detectAnomalies(ts, values, opts({ seasonality: 'daily' })).anomalies.map((a) => a.index)).toContain(4 * 288 + 120);
  });

  it('skips non-finite values, and values ≤ 0 under the log transform', () => {
    const d = new AnomalyDetector(opts({ transform: 'log', window: 5 }));
    expect(d.push(T0, 0)).toBeNull();
    expect(d.push(T0, Number.NaN)).toBeNull();
    expect(d.push(T0, 0.3)?.state).toBe('warmup');
    expect(d.state().points).toBe(1);
  });

  it('refuses bad options with the option named', () => {
    expect(anomalyOptions({ window: 2 })).toMatchObject({ ok: false, where: 'window' });
    expect(anomalyOptions({ lambda: 0 })).toMatchObject({ ok: false, where: 'lambda' });
    expect(anomalyOptions({ seasonality: 'hourly' })).toMatchObject({ ok: false, where: 'seasonality' });
    expect(anomalyOptions({ windw: 3 })).toMatchObject({ ok: false, where: 'options' });
    expect(anomalyOptions({})).toEqual({ ok: true, options: DEFAULT_ANOMALY_OPTIONS });
  });
});
