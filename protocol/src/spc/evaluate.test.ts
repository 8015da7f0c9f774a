import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { evaluateRules } from './evaluate.ts';
import { RuleStream } from './rule-stream.ts';
import { parseRuleList, type RuleId } from './rules.ts';

/** 1-based indices where `rule` fires (qcc's convention), from the batch and the streaming evaluator. */
function hits(values: number[], rule: RuleId, center = 0, se = 1): number[] {
  const batch = evaluateRules(values, center, se, [rule]).map((v) => v.index + 1);
  const stream = new RuleStream([rule]);
  const streamed = values.flatMap((v, i) => (stream.push(v, center, se).length > 0 ? [i + 1] : []));
  expect(streamed).toEqual(batch);
  return batch;
}

describe('rules against qcc 3.0’s own test cases (tests/testthat/test-rules.R, centre 0, σ 1)', () => {
  it('Western Electric 1–4', () => {
    expect(hits([0, 3.2, -3.5, 2.9], 'we1')).toEqual([2, 3]);
    expect(hits([0, 2.5, 1.0, 2.6, 0], 'we2')).toEqual([4]);
    expect(hits([0, 1.2, 1.3, 0.2, 1.4, 1.5], 'we3')).toEqual([6]);
    expect(hits([-1, -1, -1, -1, -1, -1, -1, -1, 1], 'we4')).toEqual([8]);
  });

  it('overlapping Western Electric patterns', () => {
    const x = [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3.2];
    expect(hits(x, 'we4')).toEqual([8]);
    expect(hits(x, 'we3')).toEqual([5, 6, 7, 8]);
    expect(hits(x, 'we2')).toEqual([3, 4, 5, 6, 7, 8]);
    expect(hits(x, 'we1')).toEqual([8]);
  });

  it('Nelson 1–8', () => {
    expect(hits([0, 3.2, -3.4, 3], 'nelson1')).toEqual([2, 3]);
    expect(hits([...Array(10).fill(0.5), -0.5, ...Array(9).fill(-0.5)], 'nelson2')).toEqual([9, 10, 19, 20]);
    expect(hits([1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1], 'nelson3')).toEqual([6, 7, 13, 14]);
    expect(hits([1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8], 'nelson4')).toEqual([14, 15]);
    expect(hits([0, 2.3, 0.4, 2.2, -2.4, -0.2, -2.5], 'nelson5')).toEqual([4, 7]);
    expect(hits([1.2, 1.3, 0.2, 1.4, 1.5, -1.2, -1.3, -0.1, -1.4, -1.5], 'nelson6')).toEqual([5, 10]);
    expect(hits([...Array(16).fill(0.3), 1.2], 'nelson7')).toEqual([15, 16]);
    expect(hits([1.2, -1.3, 1.1, -1.4, 1.5, -1.2, 1.3, -1.1, 0.2], 'nelson8')).toEqual([8]);
    expect(hits(Array(8).fill(1.2), 'nelson8')).toEqual([]);
  });
});

describe('the shared fixture: Nelson rule 3 with both reporting styles', () => {
  const fx = JSON.parse(readFileSync(fixture('spc', 'nelson-rule3-trend-example.json'), 'utf8')) as { series: number[]; expected: [number, number][] };

  it('reports the completing point and every later point of the run, as qcc 3.0 does', () => {
    expect(hits(fx.series, 'nelson3', 60, 20)).toEqual([8, 23, 24, 25]);
  });

  it('covers exactly the maximal runs NelsonRules.jl publishes as [start, length]', () => {
    const at = hits(fx.series, 'nelson3', 60, 20);
    // A run [start, length] is reported from start + 5 to start + length − 1.
    const expected = fx.expected.flatMap(([start, length]) => Array.from({ length: length - 5 }, (_, k) => start + 5 + k));
    expect(at).toEqual(expected);
  });
});

describe('edge cases', () => {
  it('a point exactly on the centre breaks a one-side run (Nelson 2, WE 4)', () => {
    const run = Array(8).fill(0.5);
    expect(hits([...run, 0, 0.5], 'nelson2')).toEqual([]);
    expect(hits([...run, 0.5], 'nelson2')).toEqual([9]);
    expect(hits([...Array(7).fill(-0.2), 0, -0.2], 'we4')).toEqual([]);
    expect(hits(Array(20).fill(0), 'nelson2')).toEqual([]);
  });

  it('a tie breaks a trend (Nelson 3) and an alternation (Nelson 4)', () => {
    expect(hits([1, 2, 3, 4, 5, 5, 6, 7, 8, 9], 'nelson3')).toEqual([]);
    expect(hits([1, 2, 3, 4, 5, 6], 'nelson3')).toEqual([6]);
    expect(hits([6, 5, 4, 3, 2, 1, 0], 'nelson3')).toEqual([6, 7]);
    const zigzag = [1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9];
    expect(hits(zigzag, 'nelson4')).toEqual([14]);
    expect(hits([...zigzag.slice(0, 7), 4, ...zigzag.slice(7)], 'nelson4')).toEqual([]);
  });

  it('zone edges: strict for the zone rules, inclusive for Nelson 7', () => {
    expect(hits([3, -3, 3.0000001], 'nelson1')).toEqual([3]);
    expect(hits([2, 2, 2], 'nelson5')).toEqual([]);
    expect(hits([1, 1, 1, 1, 1], 'nelson6')).toEqual([]);
    expect(hits([...Array(15).fill(1)], 'nelson7')).toEqual([15]);
    expect(hits([...Array(7).fill(-1), ...Array(8).fill(1)], 'nelson7')).toEqual([15]);
    expect(hits([...Array(14).fill(0.5), 1.0000001], 'nelson7')).toEqual([]);
    expect(hits([1, -1, 1, -1, 1, -1, 1, -1], 'nelson8')).toEqual([]);
  });

  it('2-of-3 and 4-of-5 report only a point beyond the zone on the same side', () => {
    // The window is complete only from the third point, as in qcc (embed()).
    expect(hits([2.5, 2.5, 0], 'we2')).toEqual([]);
    expect(hits([2.5, 0, 2.5], 'we2')).toEqual([3]);
    expect(hits([2.5, -2.5, 2.5], 'we2')).toEqual([3]);
    expect(hits([2.5, -2.5, 0], 'we2')).toEqual([]);
    expect(hits([0, 2.5, 2.5], 'we2')).toEqual([3]);
    expect(hits([2.5, 2.5], 'we2')).toEqual([]);
    expect(hits([1.5, 1.5, -1.5, 1.5, 1.5], 'we3')).toEqual([5]);
    expect(hits([1.5, 1.5, 1.5, 1.5, 0], 'we3')).toEqual([]);
    expect(hits([1.5, 1.5, 1.5, -1.5, -1.5], 'we3')).toEqual([]);
  });

  it('Nelson 8 needs points on both sides and holds while the window does', () => {
    expect(hits([...Array(7).fill(1.5), -1.5], 'nelson8')).toEqual([8]);
    expect(hits([...Array(7).fill(1.5), -1.5, 1.5, 1.5], 'nelson8')).toEqual([8, 9, 10]);
    // The one point below leaves the 8-point window at point 9: from there all 8 are above.
    expect(hits([-1.5, ...Array(15).fill(1.5)], 'nelson8')).toEqual([8]);
    expect(hits([-1.5, 1.5, -1.5, ...Array(13).fill(1.5)], 'nelson8')).toEqual([8, 9, 10]);
    expect(hits([...Array(4).fill(-1.5), 0.5, ...Array(4).fill(1.5)], 'nelson8')).toEqual([]);
  });

  it('per-point standard errors (unequal subgroups) move each point’s own limits', () => {
    expect(evaluateRules([2.5, 2.5], 0, [1, 0.5], ['nelson1']).map((v) => v.index)).toEqual([1]);
  });
});

describe('rule lists', () => {
  it('parses sets, lists and mixtures into catalogue order', () => {
    expect(parseRuleList('we')).toEqual({ ok: true, rules: ['we1', 'we2', 'we3', 'we4'] });
    expect(parseRuleList('nelson')).toMatchObject({ ok: true, rules: { length: 8 } });
    expect(parseRuleList('we4, nelson1,nelson1')).toEqual({ ok: true, rules: ['nelson1', 'we4'] });
  });

  it('names an unknown rule', () => {
    const r = parseRuleList('nelson1,nelson9');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('"nelson9"');
  });
});
