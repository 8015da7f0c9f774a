/**
 * `sigmascope spc check` as a user runs it: the built CLI in a child process, on qcc's published
 * examples, the shared fixtures and constructed textbook cases.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from './support/fixtures.ts';

const PISTONRINGS = join(REPO_ROOT, 'protocol', 'src', 'spc', 'testdata', 'pistonrings.csv');
const VISCOSITY = join(REPO_ROOT, 'protocol', 'src', 'spc', 'testdata', 'viscosity.csv');
const dir = mkdtempSync(join(tmpdir(), 'sigmascope-spc-'));

function spc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'sigmascope.js'), 'spc', 'check', ...args], { cwd: REPO_ROOT }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

async function json(...args: string[]) {
  const r = await spc(...args, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { chart: string; center: number; sigma: number; lcl: number; ucl: number; n: number; violations: { rule: string; index: number }[]; capability?: Record<string, number | null> };
}

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function column(values: readonly number[]): string {
  return csv(`series-${values.length}-${values.join('_').length}.csv`, `value\n${values.join('\n')}\n`);
}

describe('qcc’s piston-ring X̄ chart (Phase I: subgroups 1–25, Phase II: 26–40)', () => {
  // Published by qcc (vignette, ?qcc): centre 74.00118, StdDev 0.009785039, limits 73.98805 and
  // 74.0143; subgroups 37, 38, 39 beyond the limits. Capability example (?processCapability,
  // spec 73.95–74.05): Cp 1.703, Cp_k 1.663, Cpm 1.691.
  it('reproduces centre, σ, limits and the points beyond them', async () => {
    const r = await json(PISTONRINGS, '--column', 'diameter', '--subgroup', '5', '--phase1', '25', '--rules', 'nelson1', '--lsl', '73.95', '--usl', '74.05');
    expect(r.chart).toBe('xbar-r');
    expect(r.n).toBe(40);
    expect(r.center).toBeCloseTo(74.00118, 5);
    expect(r.sigma).toBeCloseTo(0.009785039, 9);
    expect(r.lcl).toBeCloseTo(73.98805, 5);
    expect(r.ucl).toBeCloseTo(74.0143, 4);
    expect(r.violations).toEqual([37, 38, 39].map((index) => ({ rule: 'nelson1', index })));
    expect(r.capability?.cp).toBeCloseTo(1.703, 3);
    expect(r.capability?.cpk).toBeCloseTo(1.663, 3);
    expect(r.capability?.cpm).toBeCloseTo(1.691, 3);
    expect(Object.keys(r.capability ?? {}).sort()).toEqual(['cp', 'cpk', 'cpm', 'pp', 'ppk']);
  });

  it('a subgroup label column gives the same chart as a fixed size', async () => {
    const a = await json(PISTONRINGS, '--column', 'diameter', '--subgroup', '5', '--phase1', '25');
    const b = await json(PISTONRINGS, '--column', 'diameter', '--subgroup-column', 'sample', '--phase1', '25');
    expect(b).toEqual(a);
  });

  it('prints a readable table', async () => {
    const r = await spc(PISTONRINGS, '--column', 'diameter', '--subgroup', '5', '--phase1', '25', '--rules', 'nelson1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('centre      74.00118');
    expect(r.stdout).toMatch(/^ {2}37 +nelson1 +74\.0166 +one point beyond 3σ$/m);
  });
});

describe('rules through the command line', () => {
  it('the shared Nelson 3 fixture: completing point and the rest of the run, as qcc 3.0 reports', async () => {
    const fx = JSON.parse(readFileSync(fixture('spc', 'nelson-rule3-trend-example.json'), 'utf8')) as { series: number[] };
    const r = await json(column(fx.series), '--rules', 'nelson3');
    expect(r.violations.map((v) => v.index)).toEqual([8, 23, 24, 25]);
  });

  // qcc 3.0's tests/testthat/test-rules.R cases, centre 0 and σ 1 given.
  it.each([
    ['nelson1', [0, 3.2, -3.4, 3], [2, 3]],
    ['nelson2', [...Array(10).fill(0.5), -0.5, ...Array(9).fill(-0.5)], [9, 10, 19, 20]],
    ['nelson3', [1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1], [6, 7, 13, 14]],
    ['nelson4', [1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8], [14, 15]],
    ['nelson5', [0, 2.3, 0.4, 2.2, -2.4, -0.2, -2.5], [4, 7]],
    ['nelson6', [1.2, 1.3, 0.2, 1.4, 1.5, -1.2, -1.3, -0.1, -1.4, -1.5], [5, 10]],
    ['nelson7', [...Array(16).fill(0.3), 1.2], [15, 16]],
    ['nelson8', [1.2, -1.3, 1.1, -1.4, 1.5, -1.2, 1.3, -1.1, 0.2], [8]],
    ['we2', [0, 2.5, 1.0, 2.6, 0], [4]],
    ['we3', [0, 1.2, 1.3, 0.2, 1.4, 1.5], [6]],
    ['we4', [-1, -1, -1, -1, -1, -1, -1, -1, 1], [8]],
  ])('%s', async (rule, values, expected) => {
    const r = await json(column(values), '--rules', rule, '--center', '0', '--sigma', '1');
    expect(r.violations).toEqual(expected.map((index) => ({ rule, index })));
  });

  it('Montgomery’s viscosity individuals chart: the published centre and limits, nothing beyond them', async () => {
    const r = await json(VISCOSITY, '--rules', 'nelson');
    expect(r.chart).toBe('individuals');
    expect(r.n).toBe(15);
    expect(r.center.toFixed(2)).toBe('33.52');
    expect(r.lcl.toFixed(2)).toBe('32.24');
    expect(r.ucl.toFixed(2)).toBe('34.80');
    expect((r.sigma * 1.128).toFixed(2)).toBe('0.48');
    expect(r.violations.filter((v) => v.rule === 'nelson1')).toEqual([]);
    // Phase II: the published limits judge a batch far outside them (Phase I = the 15 batches).
    const withNew = await json(csv('viscosity-phase2.csv', `${readFileSync(VISCOSITY, 'utf8')}16,35.5\n17,33.6\n`), '--phase1', '15', '--rules', 'nelson1');
    expect(withNew.ucl.toFixed(2)).toBe('34.80');
    expect(withNew.violations).toEqual([{ rule: 'nelson1', index: 16 }]);
  });

  it('Phase I limits applied to Phase II points: a textbook individuals chart', async () => {
    // Baseline 10, 12, 11, 15, 13: centre 12.2, mean moving range 2.25, σ = 2.25/1.128.
    const r = await json(column([10, 12, 11, 15, 13, 30, 12]), '--phase1', '5', '--rules', 'nelson1');
    expect(r.center).toBeCloseTo(12.2, 12);
    expect(r.sigma).toBeCloseTo(2.25 / 1.128, 12);
    expect(r.violations).toEqual([{ rule: 'nelson1', index: 6 }]);
  });
});

describe('the real TTFT series', () => {
  const groq = fixture('latency', 'llmperf-leaderboard__groq_70b.csv');

  it('the individuals chart centres on the mean LLMPerf published for the run', async () => {
    const summary = JSON.parse(readFileSync(fixture('latency', 'llmperf-leaderboard__groq_70b.summary.json'), 'utf8')) as Record<string, number>;
    const r = await json(groq, '--column', 'ttft_s', '--usl', '0.5');
    expect(r.n).toBe(150);
    expect(r.center).toBeCloseTo(summary.results_ttft_s_mean as number, 12);
    expect(r.capability?.ppk).toBeCloseTo((0.5 - r.center) / (3 * (summary.results_ttft_s_stddev as number)), 9);
    expect(r.capability?.cp).toBeNull();
  });

  it('the log transform charts ln(TTFT)', async () => {
    const raw = await json(groq, '--column', 'ttft_s');
    const logged = await json(groq, '--column', 'ttft_s', '--transform', 'log');
    expect(logged.center).toBeLessThan(Math.log(raw.center));
    expect(logged.n).toBe(150);
  });
});

describe('what the table and the JSON add to the chart', () => {
  it('the R chart of the piston rings (qcc: centre 0.02276, UCL 0.04812533), a per-rule summary, --where', async () => {
    const r = await spc(PISTONRINGS, '--column', 'diameter', '--subgroup', '5', '--where', 'trial=TRUE');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(75 rows left out by --where)');
    expect(r.stdout).toMatch(/R chart\s+centre 0\.02276, limits 0 \.\. 0\.04812533, no point beyond/);
    const all = await json(PISTONRINGS, '--column', 'diameter', '--subgroup', '5', '--phase1', '25');
    expect(all).toMatchObject({ byRule: { nelson1: 3 }, dispersion: { chart: 'r', lcl: 0 } });
    const table = await spc(PISTONRINGS, '--column', 'diameter', '--subgroup', '5', '--phase1', '25');
    expect(table.stdout).toMatch(/violations {2}\d+: nelson1 ×3/);
    expect(table.stdout).toMatch(/nelson1 +3 {2}one point beyond 3σ: points 37, 38, 39/);
  });

  it('a log chart prints its limits in the data\'s units too, all positive', async () => {
    const groq = fixture('latency', 'llmperf-leaderboard__groq_70b.csv');
    const r = await json(groq, '--column', 'ttft_s', '--transform', 'log');
    const inUnits = (r as unknown as { inUnits: { center: number; lcl: number; ucl: number } }).inUnits;
    expect(inUnits.lcl).toBeGreaterThan(0);
    expect(inUnits.lcl).toBeCloseTo(Math.exp(r.lcl), 12);
    expect(inUnits.ucl).toBeCloseTo(Math.exp(r.ucl), 12);
    const t = await spc(groq, '--column', 'ttft_s', '--transform', 'log');
    expect(t.stdout).toMatch(/limits .* = [\d.]+ \.\. [\d.]+ in the data's units/);
  });

  it('takes negative numbers as option values, and warns when σ is 0', async () => {
    const r = await spc(column([-3, -1, -2, -2.5]), '--center', '-2', '--sigma', '0', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ center: -2, sigma: 0 });
    expect(r.stderr).toContain('warning: σ is 0');
    const flat = await spc(column([5, 5, 5, 5, 5]));
    expect(flat.stderr).toContain('warning: σ is 0 (consecutive values never differ)');
  });
});

describe('malformed files and impossible options exit 2 with a clear message', () => {
  it.each([
    [['bad-row.csv', 'a,b\n1,2\n3\n'], [], /line 3: 1 cells, but the header has 2/],
    [['bad-cell.csv', 'x,ttft\n1,0.2\n2,fast\n'], ['--column', 'ttft'], /line 3, column 2 \("ttft"\): "fast" is not a number/],
    [['quote.csv', 'x\n"1\n'], [], /never closed/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--subgroup', '1'], /--subgroup/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--rules', 'nelson9'], /--rules.*"nelson9"/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--chart', 'xbar-s'], /--chart: xbar-s needs --subgroup/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--phase1', '9'], /--phase1: 9 is not a number of points in 1\.\.3/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--lsl', '5', '--usl', '1'], /--lsl/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--sigma', 'wide'], /--sigma: "wide" is not a number/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--format', 'xml'], /--format/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--column', 'y'], /no column "y"/],
    [['zero.csv', 'x\n1\n0\n3\n'], ['--transform', 'log'], /line 3: 0 cannot take --transform log/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--where', 'y=1'], /--where: "y=1": no column "y"/],
    [['ok.csv', 'x\n1\n2\n3\n'], ['--where', 'x>9'], /--where: no row of .* matches x>9/],
  ])('%j %j', async ([name, text], args, message) => {
    const r = await spc(csv(name as string, text as string), ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('a missing file', async () => {
    const r = await spc(join(dir, 'nope.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read');
  });
});
