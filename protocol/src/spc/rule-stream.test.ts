import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRules } from './evaluate.ts';
import { RuleStream } from './rule-stream.ts';
import { RULE_IDS, type Violation } from './rules.ts';

/** Every violation the stream reports when fed the points one at a time. */
function streamed(values: readonly number[], center: number, se: readonly number[]): Violation[] {
  const stream = new RuleStream(RULE_IDS);
  return values.flatMap((v, index) => stream.push(v, center, se[index] as number).map((rule) => ({ rule, index })));
}

// Small integer steps make ties, points on the centre and exact zone edges common.
const coarse = fc.array(fc.integer({ min: -7, max: 7 }).map((k) => k / 2), { minLength: 0, maxLength: 120 });
const smooth = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 0, maxLength: 120 });
const trending = fc.array(fc.integer({ min: -2, max: 3 }), { maxLength: 80 }).map((steps) => {
  let x = -3;
  return steps.map((s) => (x += s / 4));
});

describe('the streaming evaluator equals the batch evaluator point by point', () => {
  it('on coarse series full of ties and exact zone edges', () => {
    fc.assert(
      fc.property(coarse, (values) => {
        const se = values.map(() => 1);
        expect(streamed(values, 0, se)).toEqual(evaluateRules(values, 0, 1, RULE_IDS));
      }),
      { numRuns: 2000 },
    );
  });

  it('on continuous series with any centre and per-point standard errors', () => {
    fc.assert(
      fc.property(smooth, fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), (values, center, s) => {
        const se = values.map((_, i) => s / Math.sqrt(1 + (i % 4)));
        expect(streamed(values, center, se)).toEqual(evaluateRules(values, center, se, RULE_IDS));
      }),
      { numRuns: 1000 },
    );
  });

  it('on drifting series that exercise the trend and run rules', () => {
    fc.assert(
      fc.property(trending, (values) => {
        const se = values.map(() => 0.5);
        expect(streamed(values, 0, se)).toEqual(evaluateRules(values, 0, 0.5, RULE_IDS));
      }),
      { numRuns: 1000 },
    );
  });

  it('reset forgets every run', () => {
    const stream = new RuleStream(['nelson2']);
    for (let i = 0; i < 8; i++) stream.push(1, 0, 1);
    stream.reset();
    expect(stream.push(1, 0, 1)).toEqual([]);
    expect(stream.state().runAbove).toBe(1);
  });
});
