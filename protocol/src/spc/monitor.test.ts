import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spcChart } from './chart.ts';
import { SpcMonitor } from './monitor.ts';
import { RULE_IDS } from './rules.ts';
import { seededNormal } from './seeded-normal.ts';

/** Every (rule, index) the monitor reports when fed the observations one by one. */
function monitored(monitor: SpcMonitor, values: readonly number[]) {
  return values.flatMap((v, i) => monitor.push(v, i).flatMap((p) => p.violations.map((rule) => ({ rule, index: p.index, value: p.value }))));
}

describe('SpcMonitor gives what spcChart gives with the same baseline', () => {
  it('individuals charts, random series and baseline lengths', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 2, maxLength: 150 }), fc.integer({ min: 2, max: 40 }), (values, baseline) => {
        fc.pre(baseline <= values.length);
        const monitor = new SpcMonitor({ chart: 'individuals', subgroup: 1, baseline, rules: RULE_IDS, transform: 'none' });
        const chart = spcChart(values, { phase1: baseline, rules: RULE_IDS });
        expect(chart.ok).toBe(true);
        if (chart.ok) expect(monitored(monitor, values)).toEqual(chart.chart.violations);
      }),
      { numRuns: 500 },
    );
  });

  it('X̄-R and X̄-S charts of subgroups, with the log transform', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('xbar-r' as const, 'xbar-s' as const),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 12, maxLength: 300 }),
        (chart, size, baseline, raw) => {
          const values = raw.slice(0, raw.length - (raw.length % size));
          fc.pre(values.length / size >= baseline);
          const monitor = new SpcMonitor({ chart, subgroup: size, baseline, rules: RULE_IDS, transform: 'log' });
          const expected = spcChart(values, { chart, subgroup: size, phase1: baseline, rules: RULE_IDS, transform: 'log' });
          expect(expected.ok).toBe(true);
          if (expected.ok) expect(monitored(monitor, values)).toEqual(expected.chart.violations);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('SpcMonitor lifecycle', () => {
  it('reports baseline progress, then frozen limits; re-baselining starts over', () => {
    const next = seededNormal(1);
    const m = new SpcMonitor({ chart: 'xbar-s', subgroup: 10, baseline: 5, rules: ['nelson1'], transform: 'none' });
    for (let i = 0; i < 30; i++) m.push(50 + next(), i);
    expect(m.state()).toMatchObject({ phase: 'baseline', baselinePoints: 3, lcl: null });
    for (let i = 0; i < 20; i++) m.push(50 + next(), i);
    const s = m.state();
    expect(s.phase).toBe('monitoring');
    expect(s.center).toBeCloseTo(50, 0);
    expect(s.sigma).toBeGreaterThan(0.6);
    expect(s.sigma).toBeLessThan(1.5);
    m.rebaseline();
    expect(m.state()).toMatchObject({ phase: 'baseline', baselinePoints: 0, points: 0 });
  });

  it('counts and skips values the transform cannot take', () => {
    const m = new SpcMonitor({ chart: 'individuals', subgroup: 1, baseline: 2, rules: ['nelson1'], transform: 'log' });
    expect(m.push(0, 1)).toEqual([]);
    expect(m.push(Number.NaN, 2)).toEqual([]);
    expect(m.state().rejected).toBe(2);
  });

  it('given centre and σ: monitoring from the first point', () => {
    const m = new SpcMonitor({ chart: 'individuals', subgroup: 1, baseline: 2, rules: ['nelson1'], transform: 'none', center: 0, sigma: 1 });
    expect(m.push(4, 7)).toEqual([{ index: 0, ts: 7, value: 4, phase: 2, violations: ['nelson1'] }]);
  });
});
