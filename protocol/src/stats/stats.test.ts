/**
 * Every statistic of protocol/src/stats against the numbers scipy and numpy computed
 * (testdata/make-references.py wrote testdata/references.json): to 1e-6, and to 1e-6 relative
 * for p-values so small that an absolute bound would say nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootstrapPercentileCi } from './bootstrap.ts';
import { cliffsDelta } from './cliffs-delta.ts';
import { normPpf, normSf, tSf } from './distributions.ts';
import { hodgesLehmann } from './hodges-lehmann.ts';
import { holmAdjust } from './holm.ts';
import { latencySummary } from './latency-summary.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import { judgeFamily, compareSamples } from './sample-comparison.ts';
import { welchT } from './welch.ts';

interface Pair {
  name: string;
  a: number[];
  b: number[];
  mann_whitney: { u: number; p: number; method: string };
  welch: { t: number; df: number; p: number } | null;
  hodges_lehmann: { shift: number; ci: [number, number] };
  cliffs_delta: number;
  percentiles_a: Record<string, number>;
}
const ref = JSON.parse(readFileSync(new URL('./testdata/references.json', import.meta.url), 'utf8')) as {
  pairs: Pair[];
  holm: { p: number[]; adjusted: number[] };
  distributions: { t_sf: { t: number; df: number; sf: number }[]; norm_sf: { z: number; sf: number }[]; norm_ppf: { p: number; ppf: number }[] };
  bootstrap: { x: number[]; cases: { q: number; seed: number; resamples: number; ci: [number, number] }[] };
};

/** Equal to 1e-6 absolute, and to 1e-6 relative when the reference is below 1e-3. */
function close(actual: number, expected: number, what: string): void {
  const err = Math.abs(actual - expected);
  const ok = err <= 1e-6 * Math.max(1, Math.abs(expected)) && (Math.abs(expected) >= 1e-3 || err <= 1e-6 * Math.abs(expected));
  expect(ok, `${what}: ${actual} vs scipy ${expected}`).toBe(true);
}

describe('distributions equal scipy.stats', () => {
  it('t.sf over t and fractional df', () => {
    for (const c of ref.distributions.t_sf) close(tSf(c.t, c.df), c.sf, `t.sf(${c.t}, ${c.df})`);
  });
  it('norm.sf and norm.ppf, tails included', () => {
    for (const c of ref.distributions.norm_sf) close(normSf(c.z), c.sf, `norm.sf(${c.z})`);
    for (const c of ref.distributions.norm_ppf) close(normPpf(c.p), c.ppf, `norm.ppf(${c.p})`);
  });
});

describe.each(ref.pairs.map((p) => [p.name, p] as const))('%s', (_name, p) => {
  it('Mann–Whitney U and p as mannwhitneyu(a, b, alternative="two-sided")', () => {
    const r = mannWhitneyU(p.a, p.b);
    expect(r.method).toBe(p.mann_whitney.method);
    close(r.u, p.mann_whitney.u, 'U');
    close(r.p, p.mann_whitney.p, 'p');
  });
  it("Welch's t, df and p as ttest_ind(a, b, equal_var=False)", () => {
    const r = welchT(p.a, p.b);
    if (p.welch === null) return void expect(r).toBeNull();
    expect(r).not.toBeNull();
    close(r!.t, p.welch.t, 't');
    close(r!.df, p.welch.df, 'df');
    close(r!.p, p.welch.p, 'p');
  });
  it('Hodges–Lehmann shift and interval, Cliff’s delta', () => {
    const hl = hodgesLehmann(p.a, p.b);
    close(hl.shift, p.hodges_lehmann.shift, 'shift');
    close(hl.ci[0], p.hodges_lehmann.ci[0], 'ci lo');
    close(hl.ci[1], p.hodges_lehmann.ci[1], 'ci hi');
    close(cliffsDelta(p.a, p.b), p.cliffs_delta, 'delta');
  });
  it('percentiles as np.percentile (linear) and the mean', () => {
    const s = latencySummary(p.a)!;
    for (const k of ['p50', 'p90', 'p95', 'p99', 'mean'] as const) close(s[k], p.percentiles_a[k] as number, k);
  });
});

describe('family and resampling', () => {
  it('Holm adjustment as statsmodels multipletests(method="holm")', () => {
    holmAdjust(ref.holm.p).forEach((v, i) => close(v, ref.holm.adjusted[i] as number, `p[${i}]`));
  });
  it('seeded bootstrap percentile intervals equal the reference computed with the same generator', () => {
    for (const c of ref.bootstrap.cases) {
      const ci = bootstrapPercentileCi(ref.bootstrap.x, c.q, { seed: c.seed, resamples: c.resamples });
      close(ci[0], c.ci[0], `q${c.q} lo`);
      close(ci[1], c.ci[1], `q${c.q} hi`);
    }
  });
  it('verdicts need both a practical change and an adjusted p: a 15 % shift is a regression, an A/A pair is not', () => {
    const pair = (n: string): Pair => ref.pairs.find((p) => p.name === n)!;
    const o = { threshold: 0.05, alpha: 0.05 };
    const judged = judgeFamily([compareSamples(pair('shift_15pct').a, pair('shift_15pct').b, o), compareSamples(pair('aa_same_distribution').a, pair('aa_same_distribution').b, o)], o);
    expect(judged.map((j) => j.verdict)).toEqual(['regression', 'no_change']);
    // Swapped, the same shift is an improvement; as a throughput metric it is the reverse.
    expect(judgeFamily([compareSamples(pair('shift_15pct').b, pair('shift_15pct').a, o)], o)[0]!.verdict).toBe('improvement');
    expect(judgeFamily([compareSamples(pair('shift_15pct').a, pair('shift_15pct').b, o)], o, () => true)[0]!.verdict).toBe('improvement');
    // A significant but tiny change is no regression.
    const tiny = pair('large_ties');
    expect(judgeFamily([compareSamples(tiny.a, tiny.b, { threshold: 0.5, alpha: 0.05 })], { threshold: 0.5, alpha: 0.05 })[0]!.verdict).toBe('no_change');
  });
  it('warns about small samples and samples an exact test cannot judge', () => {
    const c = compareSamples([1, 2, 3], [4, 5, 6], { threshold: 0.05, alpha: 0.05 });
    expect(c.warnings.join(' ')).toMatch(/only 3 values/);
    expect(c.warnings.join(' ')).toMatch(/no p-value can fall below alpha/);
    expect(compareSamples([], [1], { threshold: 0.05, alpha: 0.05 }).mann_whitney).toBeNull();
  });
});
