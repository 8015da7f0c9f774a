import { readFileSync } from 'node:fs';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { spcChart, type SpcChart } from './chart.ts';

function ok(r: ReturnType<typeof spcChart>): SpcChart {
  if (!r.ok) throw new Error(`${r.where}: ${r.error}`);
  return r.chart;
}

const rows = readFileSync(new URL('./testdata/pistonrings.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const diameter = rows.map((r) => Number(r[0]));
const sample = rows.map((r) => Number(r[1]));

describe('X̄ charts: qcc’s piston-ring example', () => {
  // qcc(diameter[1:25,], type = "xbar", newdata = diameter[26:40,]) as documented by qcc
  // (vignette and ?qcc; data Montgomery Tables 6.3–6.4): centre 74.00118, StdDev 0.009785039,
  // control limits 73.98805 and 74.0143; subgroups 37, 38 and 39 beyond the limits.
  it('Phase I limits from subgroups 1–25, Phase II on 26–40', () => {
    const c = ok(spcChart(diameter, { subgroup: 5, phase1: 25, rules: ['nelson1'] }));
    expect(c.chart).toBe('xbar-r');
    expect(c.n).toBe(40);
    expect(c.center).toBeCloseTo(74.00118, 5);
    expect(c.sigma).toBeCloseTo(0.009785039, 9);
    expect(c.lcl).toBeCloseTo(73.98805, 5);
    expect(c.ucl).toBeCloseTo(74.0143, 4);
    expect(c.violations.map((v) => v.index + 1)).toEqual([37, 38, 39]);
    expect(c.points.filter((p) => p.phase === 1)).toHaveLength(25);
  });

  it('groups by a label column exactly as by a fixed size', () => {
    const bySize = ok(spcChart(diameter, { subgroup: 5, phase1: 25 }));
    const byLabel = ok(spcChart(diameter, { groups: sample, phase1: 25 }));
    expect(byLabel).toEqual(bySize);
  });

  it('X̄-S: σ = S̄/c4(5) and limits at ±3σ/√5', () => {
    const c = ok(spcChart(diameter, { subgroup: 5, phase1: 25, chart: 'xbar-s' }));
    const sds = Array.from({ length: 25 }, (_, k) => sampleStandardDeviation(diameter.slice(5 * k, 5 * k + 5)));
    expect(c.sigma).toBeCloseTo(mean(sds) / 0.9399856, 9);
    expect(c.ucl - c.center).toBeCloseTo((3 * c.sigma) / Math.sqrt(5), 12);
  });

  it('capability with spec 73.95–74.05 (qcc’s processCapability example)', () => {
    // processCapability(q, spec.limits = c(73.95, 74.05)): Cp 1.703, Cp_l 1.743, Cp_u 1.663, Cp_k 1.663, Cpm 1.691
    const c = ok(spcChart(diameter, { subgroup: 5, phase1: 25, spec: { lsl: 73.95, usl: 74.05 } }));
    expect(c.capability?.cp).toBeCloseTo(1.703, 3);
    expect(c.capability?.cpl).toBeCloseTo(1.743, 3);
    expect(c.capability?.cpu).toBeCloseTo(1.663, 3);
    expect(c.capability?.cpk).toBeCloseTo(1.663, 3);
    expect(c.capability?.cpm).toBeCloseTo(1.691, 3);
    // Pp uses the overall SD of the 125 Phase I diameters.
    expect(c.capability?.overallSd).toBeCloseTo(sampleStandardDeviation(diameter.slice(0, 125)), 12);
  });

  it('an unequal last subgroup gets its own, wider limits', () => {
    const c = ok(spcChart(diameter.slice(0, 23), { subgroup: 5 }));
    expect(c.points.map((p) => p.size)).toEqual([5, 5, 5, 5, 3]);
    const last = c.points[4];
    expect(last && last.ucl - c.center).toBeCloseTo((3 * c.sigma) / Math.sqrt(3), 12);
    expect(c.size).toBe(5);
  });
});

describe('capability: qcc’s test cases (tests/testthat/test-capability.R)', () => {
  const grouped = [10.0, 10.02, 9.98, 10.01, 10.03, 9.99, 10.01, 10.0, 9.97, 10.04, 10.02, 9.99];
  const chart = (spec: { lsl?: number; usl?: number; target?: number }) => ok(spcChart(grouped, { subgroup: 4, spec })).capability;

  it('two-sided, on target', () => {
    const c = chart({ lsl: 9.9, usl: 10.1 });
    expect(c?.cp).toBeCloseTo(1.372667, 6);
    expect(c?.cpl).toBeCloseTo(1.4413, 6);
    expect(c?.cpu).toBeCloseTo(1.304033, 6);
    expect(c?.cpk).toBeCloseTo(1.304033, 6);
    expect(c?.cpm).toBeCloseTo(1.344463, 6);
    expect(c?.pp).toBeCloseTo(1.612598, 6);
    expect(c?.ppl).toBeCloseTo(1.693228, 6);
    expect(c?.ppu).toBeCloseTo(1.531968, 6);
    expect(c?.ppk).toBeCloseTo(1.531968, 6);
  });

  it('two-sided, off target', () => {
    expect(chart({ lsl: 9.9, usl: 10.1, target: 10.02 })?.cpm).toBeCloseTo(1.167834, 6);
  });

  it('one-sided specs give only the one-sided indices', () => {
    const upper = chart({ usl: 10.1 });
    expect(upper).toMatchObject({ cp: null, cpl: null, cpm: null, pp: null });
    expect(upper?.cpk).toBeCloseTo(1.304033, 6);
    expect(upper?.ppk).toBeCloseTo(1.531968, 6);
    const lower = chart({ lsl: 9.9 });
    expect(lower?.cpk).toBeCloseTo(1.4413, 6);
    expect(lower?.ppk).toBeCloseTo(1.693228, 6);
  });

  it('refuses crossed spec limits', () => {
    expect(spcChart(grouped, { subgroup: 4, spec: { lsl: 10.1, usl: 9.9 } })).toMatchObject({ ok: false, where: 'lsl' });
  });
});

describe('individuals charts', () => {
  it('σ = mean moving range / 1.128, centre = mean', () => {
    // MR = 2, 1, 4, 2 → 2.25; σ = 2.25 / 1.128
    const c = ok(spcChart([10, 12, 11, 15, 13]));
    expect(c.chart).toBe('individuals');
    expect(c.center).toBeCloseTo(12.2, 12);
    expect(c.sigma).toBeCloseTo(2.25 / 1.128, 12);
    expect(c.ucl).toBeCloseTo(12.2 + (3 * 2.25) / 1.128, 12);
  });

  it('Phase I on the first points only; given parameters replace the estimates', () => {
    const values = [10, 12, 11, 15, 13, 30];
    const c = ok(spcChart(values, { phase1: 5, rules: ['nelson1'] }));
    expect(c.center).toBeCloseTo(12.2, 12);
    expect(c.violations).toEqual([{ rule: 'nelson1', index: 5, value: 30 }]);
    const given = ok(spcChart(values, { center: 20, sigma: 1, rules: ['nelson1'] }));
    expect(given.violations.map((v) => v.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('the log transform charts ln(x), including the spec limits', () => {
    const values = [0.2, 0.25, 0.22, 0.3, 0.21];
    const c = ok(spcChart(values, { transform: 'log', spec: { usl: 1 } }));
    expect(c.center).toBeCloseTo(mean(values.map(Math.log)), 12);
    expect(c.capability?.usl).toBe(0);
    expect(spcChart([0.2, 0], { transform: 'log' })).toMatchObject({ ok: false, where: 'values' });
  });

  it('constant data gives σ 0 and a JSON-safe result', () => {
    const c = ok(spcChart([5, 5, 5, 5], { spec: { lsl: 4, usl: 6 } }));
    expect(c.sigma).toBe(0);
    expect(c.capability?.cp).toBeNull();
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('timestamps travel with the points', () => {
    const c = ok(spcChart([1, 2, 3, 4], { ts: [10, 20, 30, 40], subgroup: 2 }));
    expect(c.points.map((p) => p.ts)).toEqual([20, 40]);
  });
});

describe('impossible options come back as errors naming the option', () => {
  it.each([
    [[1, 2, 3], { subgroup: 1 }, 'subgroup'],
    [[1, 2, 3], { subgroup: 26 }, 'subgroup'],
    [[1, 2, 3, 4, 5], { subgroup: 2 }, 'subgroup'], // a last subgroup of one value has no range
    [[1, 2, 3], { chart: 'xbar-s' as const }, 'subgroup'],
    [[1, 2, 3], { phase1: 4 }, 'phase1'],
    [[1, 2, 3], { phase1: 1 }, 'phase1'],
    [[1, 2, 3], { sigma: -1 }, 'sigma'],
    [[], {}, 'values'],
    [[1, Number.NaN], {}, 'values'],
  ])('%j with %j', (values, options, where) => {
    expect(spcChart(values, options)).toMatchObject({ ok: false, where });
  });
});

describe('real TTFT series (LLMPerf leaderboard, groq Llama-2-70B)', () => {
  const csv = readFileSync(fixture('latency', 'llmperf-leaderboard__groq_70b.csv'), 'utf8').trim().split('\n');
  const col = (csv[0] as string).split(',').indexOf('ttft_s');
  const ttft = csv.slice(1).map((l) => Number(l.split(',')[col]));
  const summary = JSON.parse(readFileSync(fixture('latency', 'llmperf-leaderboard__groq_70b.summary.json'), 'utf8')) as Record<string, number>;

  it('centre and overall SD equal LLMPerf’s own published mean and standard deviation', () => {
    const c = ok(spcChart(ttft, { spec: { usl: 0.5 } }));
    expect(c.n).toBe(150);
    expect(c.center).toBeCloseTo(summary.results_ttft_s_mean as number, 12);
    expect(c.capability?.overallSd).toBeCloseTo(summary.results_ttft_s_stddev as number, 12);
    expect(c.capability?.ppk).toBeCloseTo((0.5 - c.center) / (3 * (summary.results_ttft_s_stddev as number)), 12);
  });

  it('right skew: the log transform turns upper-tail outliers into ordinary points', () => {
    const raw = ok(spcChart(ttft, { rules: ['nelson1'] }));
    const logged = ok(spcChart(ttft, { rules: ['nelson1'], transform: 'log' }));
    const above = (c: SpcChart) => c.violations.filter((v) => v.value > c.ucl).length;
    expect(above(logged)).toBeLessThanOrEqual(above(raw));
  });
});
