/**
 * NAB's scoring (bench/nab/nab-scorer.ts) against answers known in closed form: a hand-worked
 * file (the values computed apart in Python from NAB's formulas), and on the real subset the
 * perfect detector scoring 100 and the null detector 0 under every profile.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNabCorpus } from '../../bench/nab/nab-corpus.ts';
import { detectionsAbove, eventsAt, nabScore } from '../../bench/nab/nab-run.ts';
import { NAB_PROFILES, probationLength, scaledSigmoid, scoreFile } from '../../bench/nab/nab-scorer.ts';
import type { NabProfileName } from '../../bench/nab/nab-scorer.ts';
import { REPO_ROOT } from '../support/fixtures.ts';

const corpus = loadNabCorpus(join(REPO_ROOT, 'tests', 'fixtures', 'anomaly'));

describe('NAB scorer', () => {
  it('scales the sigmoid as NAB defines it', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866142981514305, 15);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.8482836399575129, 15);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.9866142981514305, 15);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(probationLength(4032)).toBe(604);
    expect(probationLength(22695)).toBe(750);
  });

  it('scores a hand-worked file: one early-ish detection, a false positive after the window, one before it, one in probation', () => {
    // 100 points, probation 15, window [40, 49]; detections at 10 (probation), 20, 45, 47 (later, ignored), 60.
    const s = scoreFile(100, [[40, 49]], [10, 20, 45, 47, 60], NAB_PROFILES.standard);
    expect(s).toMatchObject({ tp: 1, fp: 2, fn: 0, windows: 1 });
    // tp = σ̃(−0.5)/σ̃(−1); fp at 60 = 0.11·σ̃(11/9); fp at 20 = −0.11 (no window before it).
    expect(s.raw).toBeCloseTo(0.8597925669097837 - 0.10951310130369775 - 0.11, 12);
    const missed = scoreFile(100, [[40, 49]], [], NAB_PROFILES.reward_low_FN_rate);
    expect(missed).toMatchObject({ raw: -2, tp: 0, fn: 1 });
  });

  it.each(Object.keys(NAB_PROFILES) as NabProfileName[])('on the NAB subset the perfect detector scores 100 and the null detector 0 (%s)', (profile) => {
    const perfect = corpus.map((f) => f.windows.map((w) => w[0]));
    expect(nabScore(corpus, perfect, profile).score).toBeCloseTo(100, 10);
    expect(nabScore(corpus, corpus.map(() => []), profile).score).toBeCloseTo(0, 10);
    // Detecting every window at its last point earns almost no credit (σ̃ → 0 at the right edge)
    // but saves the miss: 100 · fn / (tp + fn) from below.
    const { fnWeight, tpWeight } = NAB_PROFILES[profile];
    const late = nabScore(corpus, corpus.map((f) => f.windows.map((w) => w[1])), profile).score;
    expect(late).toBeGreaterThan((100 * fnWeight) / (tpWeight + fnWeight));
    expect(late).toBeLessThan((100 * fnWeight) / (tpWeight + fnWeight) + 1);
  });

  it('reads the subset: 15 files, 31 windows, every window on its own timestamps, split 8 tuning / 7 held out', () => {
    expect(corpus).toHaveLength(15);
    expect(corpus.reduce((n, f) => n + f.windows.length, 0)).toBe(31);
    expect(corpus.filter((f) => f.role === 'tuning').map((f) => f.name)).toHaveLength(8);
    for (const f of corpus) for (const [a, b] of f.windows) expect(b - a).toBeGreaterThan(0);
  });

  it('turns scores into episodes and NAB detections', () => {
    const scores = Float64Array.from([0, 7, 8, 0, 0, 9, 0, 0, 0, 6]);
    expect(eventsAt(scores, 6, 3)).toEqual([1, 9]);
    expect(eventsAt(scores, 6, 1)).toEqual([1, 5, 9]);
    expect(detectionsAbove(scores, 6)).toEqual([1, 2, 5, 9]);
  });
});
