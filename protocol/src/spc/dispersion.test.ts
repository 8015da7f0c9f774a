import { readFileSync } from 'node:fs';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { spcChart, type SpcChart } from './chart.ts';

function ok(r: ReturnType<typeof spcChart>): SpcChart {
  if (!r.ok) throw new Error(`${r.where}: ${r.error}`);
  return r.chart;
}

/** A column of a test-data CSV (header skipped). */
const csv = (name: string, column = 0): number[] => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[column]));

describe('dispersion charts beside the location chart', () => {
  it('R chart of the piston rings, subgroups 1–25 (qcc type = "R": centre 0.02276, LCL 0, UCL 0.04812533)', () => {
    const c = ok(spcChart(csv('pistonrings.csv'), { subgroup: 5, phase1: 25 }));
    expect(c.dispersion.kind).toBe('r');
    expect(c.dispersion.center).toBeCloseTo(0.02276, 5);
    expect(c.dispersion.lcl).toBe(0);
    expect(c.dispersion.ucl).toBeCloseTo(0.04812533, 7);
    expect(c.dispersion.points).toHaveLength(40);
    expect(c.dispersion.beyond).toEqual([]);
  });

  it('S chart of the piston rings: centre S̄, limits B3·S̄ = 0 and B4·S̄ (B4(5) = 2.089, the textbook table)', () => {
    const d = csv('pistonrings.csv');
    const c = ok(spcChart(d, { subgroup: 5, phase1: 25, chart: 'xbar-s' }));
    const sBar = mean(Array.from({ length: 25 }, (_, k) => sampleStandardDeviation(d.slice(5 * k, 5 * k + 5))));
    expect(c.dispersion.kind).toBe('s');
    expect(c.dispersion.center).toBeCloseTo(sBar, 12);
    expect(c.dispersion.lcl).toBe(0);
    expect(c.dispersion.ucl / sBar).toBeCloseTo(2.089, 3);
  });

  it('MR chart of the paint viscosity (Montgomery: MR̄ 0.48, UCL = 3.267·MR̄ = 1.57, LCL 0)', () => {
    const c = ok(spcChart(csv('viscosity.csv', 1)));
    expect(c.dispersion.kind).toBe('mr');
    expect(c.dispersion.points[0]).toBeNull();
    expect(c.dispersion.center).toBeCloseTo(0.48, 2);
    expect(c.dispersion.ucl).toBeCloseTo(1.57, 2);
    expect(c.dispersion.lcl).toBe(0);
    expect(c.dispersion.beyond).toEqual([]);
  });

  it('an incomplete last subgroup is left out with `drop`, kept with its own limits by default', () => {
    const values = csv('pistonrings.csv').slice(0, 23);
    expect(ok(spcChart(values, { subgroup: 5 })).points).toHaveLength(5);
    const dropped = ok(spcChart(values, { subgroup: 5, incomplete: 'drop' }));
    expect(dropped.points).toHaveLength(4);
    expect(dropped.dropped).toBe(3);
    // One value alone is an error when kept, and simply waits when dropped.
    expect(spcChart(values.slice(0, 21), { subgroup: 5 }).ok).toBe(false);
    expect(ok(spcChart(values.slice(0, 21), { subgroup: 5, incomplete: 'drop' })).dropped).toBe(1);
  });

  it('a log chart carries its centre and limits in the data\'s units, all positive', () => {
    // Latencies around 0.3 s with a wide spread: on the log scale the LCL is far below ln(0.3),
    // which read as seconds was a negative duration. Back-transformed, it is a short positive one.
    const ttft = [0.31, 0.29, 0.45, 0.22, 0.3, 0.6, 0.28, 0.33, 0.19, 0.4, 0.35, 0.27];
    const c = ok(spcChart(ttft, { transform: 'log' }));
    const u = c.inUnits;
    if (u === undefined) throw new Error('no inUnits');
    expect(c.lcl).toBeLessThan(0);
    expect(u.center).toBeCloseTo(Math.exp(ttft.reduce((s, v) => s + Math.log(v), 0) / ttft.length), 12);
    expect(u.lcl).toBeGreaterThan(0);
    expect(u.lcl).toBeCloseTo(Math.exp(c.lcl), 12);
    expect(u.ucl).toBeCloseTo(Math.exp(c.ucl), 12);
    expect(u.sigmaFactor).toBeCloseTo(Math.exp(c.sigma), 12);
    expect(u.zones.sigma1[0]).toBeLessThan(u.center);
    expect(ok(spcChart(ttft)).inUnits).toBeUndefined();
  });
});
