import { describe, expect, it } from 'vitest';
import { energyPerToken } from './energy-per-token.ts';
import type { TimedValues } from './energy-per-token.ts';
import { studentTQuantile } from '../student-t-quantile.ts';
import { seededNormal } from '../spc/seeded-normal.ts';

const T0 = Date.UTC(2025, 0, 1);
const ticks = (seconds: number, hz = 2): number[] => Array.from({ length: seconds * hz + 1 }, (_, i) => T0 + (i * 1000) / hz);
const series = (ts: number[], f: (t: number, i: number) => number): TimedValues => ({ ts, values: ts.map(f) });

describe('energy per token', () => {
  it('8 GPUs at a constant 631.95 W and 1,500 tokens/s: 8 × 631.95 / 1500 J per token, exactly', () => {
    const ts = ticks(600);
    const gpus = Array.from({ length: 8 }, () => series(ts, () => 631.95));
    const counter = series(ts, (t) => 1_000_000 + (1500 * (t - T0)) / 1000);
    const r = energyPerToken(gpus, new Map([['llama', [counter]]]), { from: T0, to: T0 + 600_000 });
    expect(r.batches).toBe(10);
    expect(r.watts).toBeCloseTo(8 * 631.95, 9);
    const m = r.models[0];
    expect(m?.joulesPerToken).toBeCloseTo((8 * 631.95) / 1500, 12);
    expect(m?.tokensPerSecond).toBeCloseTo(1500, 9);
    expect(m?.tokens).toBeCloseTo(900_000, 6);
    expect((m?.interval?.[1] as number) - (m?.interval?.[0] as number)).toBeLessThan(1e-9);
    expect(m?.shared).toBe(false);
  });

  it('power alternating between the capture\'s load and idle readings averages to their mean over whole batches', () => {
    const ts = ticks(300);
    const gpus = [series(ts, (_, i) => (i % 2 === 0 ? 631.95 : 69.85))];
    const counter = series(ts, (t) => (400 * (t - T0)) / 1000);
    const r = energyPerToken(gpus, new Map([['m', [counter]]]), { from: T0, to: T0 + 300_000 });
    expect(r.watts).toBeCloseTo((631.95 + 69.85) / 2, 9);
    expect(r.models[0]?.joulesPerToken).toBeCloseTo((631.95 + 69.85) / 2 / 400, 12);
  });

  it('counts a server restart (the counter drops) as the new count, and leaves out batches with a hole', () => {
    const ts = ticks(240);
    let restarted = 0;
    const counter = series(ts, (t) => {
      const s = (t - T0) / 1000;
      if (s >= 100) restarted = 1;
      return restarted ? 100 * (s - 100) : 5_000 + 100 * s;
    });
    // The power series misses 30 s in the third minute.
    const keep = ts.filter((t) => t < T0 + 130_000 || t > T0 + 160_000);
    const r = energyPerToken([series(keep, () => 300)], new Map([['m', [counter]]]), { from: T0, to: T0 + 240_000 });
    expect(r.batches).toBe(3);
    expect(r.coveredMs).toBe(180_000);
    // 100 tokens/s throughout, the restart's half-second included (0 after the drop: the new count).
    expect(r.models[0]?.tokens).toBeCloseTo(18_000 - 50, 6);
  });

  it('shares a host between two models by their tokens in each batch', () => {
    const ts = ticks(120);
    const gpus = [series(ts, () => 500)];
    const a = series(ts, (t) => (300 * (t - T0)) / 1000);
    const b = series(ts, (t) => (100 * (t - T0)) / 1000);
    const r = energyPerToken(gpus, new Map([['a', [a]], ['b', [b]]]), { from: T0, to: T0 + 120_000 });
    expect(r.models.map((m) => [m.model, m.shared])).toEqual([['a', true], ['b', true]]);
    expect(r.models[0]?.joules).toBeCloseTo(60_000 * 0.75, 6);
    expect(r.models[0]?.joulesPerToken).toBeCloseTo(500 / 400, 12);
    expect(r.models[1]?.joulesPerToken).toBeCloseTo(500 / 400, 12);
  });

  it('its 95 % interval covers the true joules per token in about 95 % of noisy runs', () => {
    const rnd = seededNormal(21);
    let covered = 0;
    const runs = 400;
    for (let k = 0; k < runs; k++) {
      const ts = ticks(1200);
      // Power wanders around 400 W; tokens arrive at a rate that moves with it (a busy GPU draws more).
      const load = ts.map(() => 1 + 0.2 * rnd());
      const gpus = [series(ts, (_, i) => 400 * (load[i] as number))];
      let c = 0;
      // A counter never falls (a fall would be a restart): the noise is clipped at 0 tokens.
      const counter = series(ts, (_, i) => (c += i === 0 ? 0 : 0.5 * 1000 * (load[i] as number) * Math.max(0, 1 + 0.3 * rnd())));
      const r = energyPerToken(gpus, new Map([['m', [counter]]]), { from: T0, to: T0 + 1_200_000 });
      // The truth: 400 W per 1000 tokens/s on average = 0.4 J/token.
      const [lo, hi] = r.models[0]?.interval ?? [0, 0];
      if (lo <= 0.4 && 0.4 <= hi) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.91);
    expect(covered / runs).toBeLessThan(0.99);
  });

  it('no tokens: energy but no joules per token; no GPUs: nothing covered', () => {
    const ts = ticks(120);
    const idle = energyPerToken([series(ts, () => 70)], new Map([['m', [series(ts, () => 42)]]]), { from: T0, to: T0 + 120_000 });
    expect(idle.joules).toBeCloseTo(70 * 120, 6);
    expect(idle.models[0]).toMatchObject({ tokens: 0, joulesPerToken: null, interval: null });
    expect(energyPerToken([], new Map(), { from: T0, to: T0 + 120_000 })).toMatchObject({ batches: 0, joules: 0, watts: 0 });
  });

  it('Student t quantiles agree with scipy.stats.t.ppf', () => {
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.1824463052837078, 2);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5705818356363146, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0422724563012378, 7);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 9);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749464, 9);
  });
});
