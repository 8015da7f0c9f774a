/**
 * Two samples of one metric compared as `bench compare` and the collector's window compare
 * report them (the record DESIGN.md's compare output names), and the family step that adjusts
 * the p-values (Holm over every comparison of one compare) and gives verdicts. A verdict other
 * than no_change needs both a practical change (|relative change of the median| > threshold)
 * and an adjusted Mann–Whitney p below alpha; its sign says whether the change is bad for a
 * metric where lower is better (latency) or higher is better (throughput).
 */
import { mean, median, quantileSorted } from 'simple-statistics';
import { cliffsDelta } from './cliffs-delta.ts';
import { hodgesLehmann } from './hodges-lehmann.ts';
import type { HodgesLehmannResult } from './hodges-lehmann.ts';
import { holmAdjust } from './holm.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import { sampleWarnings } from './sample-warnings.ts';
import { welchT } from './welch.ts';
import type { WelchResult } from './welch.ts';

export interface SideSummary {
  readonly n: number;
  readonly median: number | null;
  readonly p95: number | null;
  readonly mean: number | null;
}

export type Verdict = 'regression' | 'improvement' | 'no_change';

/** One comparison before the family adjustment. */
export interface SampleComparison {
  readonly a: SideSummary;
  readonly b: SideSummary;
  /** (median B − median A) / median A; null when A's median is 0 or a side is empty. */
  readonly change: number | null;
  readonly hodges_lehmann: HodgesLehmannResult | null;
  readonly mann_whitney: { readonly u: number; readonly p: number } | null;
  readonly welch: WelchResult | null;
  readonly cliffs_delta: number | null;
  readonly warnings: readonly string[];
}

export interface ComparisonOptions {
  readonly threshold: number;
  readonly alpha: number;
}

function side(x: readonly number[]): SideSummary {
  if (x.length === 0) return { n: 0, median: null, p95: null, mean: null };
  const s = [...x].sort((p, q) => p - q);
  return { n: s.length, median: median(s), p95: quantileSorted(s, 0.95), mean: mean(s) };
}

/** Compares A (baseline) with B (candidate). Empty sides give nulls, never a throw. */
export function compareSamples(a: readonly number[], b: readonly number[], o: ComparisonOptions): SampleComparison {
  const sa = side(a);
  const sb = side(b);
  const both = a.length > 0 && b.length > 0;
  const mw = both ? mannWhitneyU(a, b) : null;
  return {
    a: sa,
    b: sb,
    change: sa.median !== null && sb.median !== null && sa.median !== 0 ? (sb.median - sa.median) / sa.median : null,
    hodges_lehmann: both ? hodgesLehmann(a, b, o.alpha) : null,
    mann_whitney: mw === null ? null : { u: mw.u, p: mw.p },
    welch: welchT(a, b),
    cliffs_delta: both ? cliffsDelta(a, b) : null,
    warnings: sampleWarnings(a, b, o.threshold, o.alpha),
  };
}

/** A comparison with its family-adjusted p and verdict. */
export type JudgedComparison<T extends SampleComparison> = T & { readonly p_adjusted: number | null; readonly verdict: Verdict };

/**
 * Adjusts the Mann–Whitney p of every comparison with Holm and gives each a verdict.
 * `higherIsBetter(c)` says the metric's direction (false: latency).
 */
export function judgeFamily<T extends SampleComparison>(comparisons: readonly T[], o: ComparisonOptions, higherIsBetter: (c: T) => boolean = () => false): JudgedComparison<T>[] {
  const tested = comparisons.map((c, i) => ({ c, i })).filter((x) => x.c.mann_whitney !== null);
  const adjusted = holmAdjust(tested.map((x) => (x.c.mann_whitney as { p: number }).p));
  const byIndex = new Map(tested.map((x, k) => [x.i, adjusted[k] as number]));
  return comparisons.map((c, i) => {
    const p = byIndex.get(i) ?? null;
    let verdict: Verdict = 'no_change';
    if (p !== null && p < o.alpha && c.change !== null && Math.abs(c.change) > o.threshold) {
      const worse = higherIsBetter(c) ? c.change < 0 : c.change > 0;
      verdict = worse ? 'regression' : 'improvement';
    }
    return { ...c, p_adjusted: p, verdict };
  });
}
