/**
 * In-control false alarms: on independent N(0, 1) data each rule flags points at the rate
 * probability theory gives, within 10 %. The generator is seeded, so the run is reproducible.
 */
import { describe, expect, it } from 'vitest';
import { spcChart } from './chart.ts';
import { RuleStream } from './rule-stream.ts';
import { RULE_IDS, WE_RULES, type RuleId } from './rules.ts';
import { seededNormal } from './seeded-normal.ts';

// Upper tail of the standard normal at 1, 2 and 3 (to 10 digits).
const q1 = 0.1586552539;
const q2 = 0.0227501319;
const q3 = 0.0013498980;
const factorial14 = 87178291200;
const zigzag14 = 199360981; // Euler zigzag number E14: up-down permutations of 14 distinct values

/**
 * The stationary probability that a given point is flagged by each rule (two sides added where the
 * sides exclude each other).
 */
const THEORY: Record<RuleId, number> = {
  nelson1: 2 * q3,
  nelson2: 2 * 0.5 ** 9,
  nelson3: 2 / 720, // the last 6 values in increasing (or decreasing) order: 1/6! each
  nelson4: (2 * zigzag14) / factorial14, // the last 14 values alternate, starting up or down
  nelson5: 2 * q2 * (1 - (1 - q2) ** 2), // this point beyond 2σ and one of the two before it
  nelson6: 2 * q1 * (4 * q1 ** 3 * (1 - q1) + q1 ** 4), // this point beyond 1σ and ≥ 3 of the 4 before it
  nelson7: (1 - 2 * q1) ** 15,
  nelson8: (2 * q1) ** 8 - 2 * q1 ** 8, // 8 beyond 1σ, minus all above or all below
  we1: 2 * q3,
  we2: 2 * q2 * (1 - (1 - q2) ** 2),
  we3: 2 * q1 * (4 * q1 ** 3 * (1 - q1) + q1 ** 4),
  we4: 2 * 0.5 ** 8,
};

describe('false alarm rates on in-control normal data', () => {
  it('rule 1 flags 0.27 % of points with limits estimated by the chart itself', () => {
    const next = seededNormal(20240601);
    const values = Array.from({ length: 1_000_000 }, () => 50 + 4 * next());
    const r = spcChart(values, { rules: ['nelson1'] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rate = r.chart.violations.length / values.length;
    expect(Math.abs(rate / THEORY.nelson1 - 1)).toBeLessThan(0.1);
  });

  it('each of the Nelson and Western Electric rules flags points at its theoretical rate', () => {
    const next = seededNormal(7);
    const stream = new RuleStream(RULE_IDS);
    const counts = new Map<RuleId, number>(RULE_IDS.map((r) => [r, 0]));
    const n = 4_000_000;
    for (let i = 0; i < n; i++) for (const rule of stream.push(next(), 0, 1)) counts.set(rule, (counts.get(rule) as number) + 1);
    for (const rule of RULE_IDS) {
      const rate = (counts.get(rule) as number) / n;
      expect(Math.abs(rate / THEORY[rule] - 1), rule).toBeLessThan(0.1);
    }
  });

  it('the four Western Electric rules together alarm after 91.75 points on average (Champ & Woodall, 1987)', () => {
    const next = seededNormal(99);
    const runs = 6000;
    let total = 0;
    for (let k = 0; k < runs; k++) {
      const stream = new RuleStream(WE_RULES);
      let length = 0;
      do length++;
      while (stream.push(next(), 0, 1).length === 0);
      total += length;
    }
    expect(Math.abs(total / runs / 91.75 - 1)).toBeLessThan(0.1);
  });
});
