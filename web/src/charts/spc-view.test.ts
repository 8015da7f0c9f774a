import { describe, expect, it } from 'vitest';
import { markersByRule, readSpcChart, ruleName, ruleNumber, ruleShort, zoneBands } from './spc-view.ts';

describe('spc view', () => {
  const result = {
    chart: 'individuals', center: 10, sigma: 1, lcl: 7, ucl: 13,
    zones: { a: [12, 13], b: [11, 12], c: [10, 11] },
    points: [{ ts: 1000, value: 10.2 }, { ts: 1500, value: 9.5 }, { ts: 2000, value: 14 }, { ts: 2500, value: 12.5 }],
    violations: [{ index: 2, ts: 2000, rule: '1', value: 14 }, { index: 3, rule: 'rule5', value: 12.5 }, { index: 3, rule: '6' }, { index: 9, rule: '1' }],
  };

  it('reads points on a time axis and places each violation on its point', () => {
    const v = readSpcChart(result);
    expect(v?.xIsTime).toBe(true);
    expect(v?.points.map((p) => [p.x, p.y])).toEqual([[1000, 10.2], [1500, 9.5], [2000, 14], [2500, 12.5]]);
    expect(v?.markers.map((m) => [m.x, m.ruleNo])).toEqual([[2000, 1], [2500, 5], [2500, 6]]);
    expect(v?.capability).toBeNull();
  });

  it('computes zones from the limits: ±1σ, ±2σ, ±3σ around the centre', () => {
    const v = readSpcChart(result);
    expect(zoneBands(v!)).toEqual([
      { zone: 'C', from: 10, to: 11 }, { zone: 'C', from: 9, to: 10 },
      { zone: 'B', from: 11, to: 12 }, { zone: 'B', from: 8, to: 9 },
      { zone: 'A', from: 12, to: 13 }, { zone: 'A', from: 7, to: 8 },
    ]);
  });

  it('reads protocol spcChart output as it is: {ok, chart}, zones, rule ids', () => {
    const v = readSpcChart({ ok: true, chart: {
      chart: 'xbar', transform: 'none', center: 5, sigma: 2, lcl: 2, ucl: 8, size: 4, n: 3, phase1: 3, rules: ['nelson1'],
      zones: { sigma1: [4, 6], sigma2: [3, 7], sigma3: [2, 8] },
      points: [{ value: 5, size: 4, lcl: 2, ucl: 8, phase: 1, ts: 10 }, { value: 9, size: 4, lcl: 2, ucl: 8, phase: 1, ts: 20 }],
      violations: [{ rule: 'nelson1', index: 1, value: 9 }],
    } });
    expect(v).toMatchObject({ chart: 'xbar', center: 5, zoneWidth: 1, xIsTime: true });
    expect(v?.markers).toEqual([{ index: 1, x: 20, y: 9, rule: 'nelson1', ruleNo: 1 }]);
    expect(readSpcChart({ ok: false, where: 'values', error: 'too few points' })).toBeNull();
  });

  it('uses the limits, not sigma, for subgroup charts (±3σ/√n)', () => {
    const v = readSpcChart({ chart: 'xbar', center: 0, sigma: 2, lcl: -3, ucl: 3, points: [0.1, -0.2], violations: [], capability: { cp: 1.2, cpk: 0.9, lsl: -10, usl: 10 } });
    expect(v?.zoneWidth).toBe(1);
    expect(v?.xIsTime).toBe(false);
    expect(v?.points.map((p) => p.x)).toEqual([0, 1]);
    expect(v?.capability).toMatchObject({ cp: 1.2, cpk: 0.9, pp: null });
  });

  it('reads a log chart in seconds: points, centre, limits and asymmetric zones from inUnits, and its MR chart', () => {
    const lnCenter = Math.log(0.3);
    const v = readSpcChart({
      chart: 'individuals', transform: 'log', center: lnCenter, sigma: 0.4, lcl: lnCenter - 1.2, ucl: lnCenter + 1.2,
      zones: { sigma1: [lnCenter - 0.4, lnCenter + 0.4], sigma2: [lnCenter - 0.8, lnCenter + 0.8], sigma3: [lnCenter - 1.2, lnCenter + 1.2] },
      inUnits: { center: 0.3, lcl: 0.3 * Math.exp(-1.2), ucl: 0.3 * Math.exp(1.2), sigmaFactor: Math.exp(0.4), zones: {
        sigma1: [0.3 * Math.exp(-0.4), 0.3 * Math.exp(0.4)], sigma2: [0.3 * Math.exp(-0.8), 0.3 * Math.exp(0.8)], sigma3: [0.3 * Math.exp(-1.2), 0.3 * Math.exp(1.2)] } },
      points: [{ ts: 1, value: Math.log(0.25) }, { ts: 2, value: Math.log(0.5) }],
      violations: [{ rule: 'nelson1', index: 1, value: Math.log(0.5) }],
      dispersion: { kind: 'mr', center: 0.45, lcl: 0, ucl: 1.47, points: [null, { value: 0.69, lcl: 0, ucl: 1.47 }], beyond: [] },
    });
    expect(v?.log).toBe(true);
    expect(v?.lcl).toBeGreaterThan(0);
    expect(v?.points[0]?.y).toBeCloseTo(0.25, 12);
    expect(v?.markers[0]?.y).toBeCloseTo(0.5, 12);
    const bands = zoneBands(v!);
    const c = bands.filter((b) => b.zone === 'C');
    expect(c[0]!.to - 0.3).toBeGreaterThan(0.3 - c[1]!.from); // wider above than below
    expect(v?.sigmaFactor).toBeCloseTo(Math.exp(0.4), 12);
    expect(v?.dispersion).toMatchObject({ kind: 'mr', center: 0.45, points: [{ x: 2, y: 0.69, beyond: false }] });
  });

  it('names rules and groups markers for the legend', () => {
    expect(ruleNumber('nelson2')).toBe(2);
    expect(ruleNumber('we2')).toBe(5);
    expect(ruleNumber('beyond')).toBeNull();
    expect(ruleName('nelson1')).toBe('Nelson 1: one point beyond 3σ');
    expect(ruleName('we4')).toBe('WE 4: 8 points in a row on one side of the centre');
    expect(ruleName('1')).toBe('Rule 1: one point beyond 3σ');
    expect(ruleName('custom')).toBe('custom');
    expect(ruleShort('nelson7')).toBe('Nelson 7');
    const v = readSpcChart(result)!;
    expect(markersByRule(v.markers).map((g) => [g.rule, g.markers.length])).toEqual([['1', 1], ['rule5', 1], ['6', 1]]);
    expect(readSpcChart({ center: 1 })).toBeNull();
  });
});
