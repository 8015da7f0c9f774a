/**
 * The batch rule evaluator: all rules over a whole series at once, written straight from qcc's
 * definitions (runs of a condition, fixed windows). The streaming evaluator (rule-stream.ts) must
 * give exactly the same answer point by point; this file is the reference it is tested against.
 */
import { compareViolations, type RuleId, type Violation } from './rules.ts';
import { Zone, classify } from './zones.ts';

/**
 * Every violation of `rules` in `values`, sorted by point then rule. `se` is the standard error
 * of each point (one number for all, or one per point: X̄ charts with unequal subgroups).
 * Values must be finite; the caller validates.
 */
export function evaluateRules(values: readonly number[], center: number, se: number | readonly number[], rules: readonly RuleId[]): Violation[] {
  const zones = values.map((v, i) => classify(v, center, typeof se === 'number' ? se : (se[i] as number)));
  const out: Violation[] = [];
  const hits = (rule: RuleId, indices: Iterable<number>): void => {
    for (const index of indices) out.push({ rule, index });
  };
  const has = (mask: number) => zones.map((z) => (z & mask) !== 0);
  for (const rule of new Set(rules)) {
    switch (rule) {
      case 'nelson1':
      case 'we1':
        hits(rule, indicesWhere(has(Zone.above3 | Zone.below3)));
        break;
      case 'nelson2':
        hits(rule, [...runHits(has(Zone.above), 9), ...runHits(has(Zone.below), 9)]);
        break;
      case 'we4':
        hits(rule, [...runHits(has(Zone.above), 8), ...runHits(has(Zone.below), 8)]);
        break;
      case 'nelson3': {
        // Runs of 5 rising (or falling) differences complete at the 6th point; a tie breaks both.
        const d = differences(values);
        hits(rule, [...runHits(d.map((x) => x > 0), 5), ...runHits(d.map((x) => x < 0), 5)].map((i) => i + 1));
        break;
      }
      case 'nelson4': {
        // 14 alternating points = 13 differences = 12 sign changes in a row.
        const d = differences(values);
        const change = d.slice(1).map((x, i) => Math.sign(x) * Math.sign(d[i] as number) < 0);
        hits(rule, runHits(change, 12).map((i) => i + 2));
        break;
      }
      case 'nelson5':
      case 'we2':
        hits(rule, [...kOfM(has(Zone.above2), 2, 3), ...kOfM(has(Zone.below2), 2, 3)]);
        break;
      case 'nelson6':
      case 'we3':
        hits(rule, [...kOfM(has(Zone.above1), 4, 5), ...kOfM(has(Zone.below1), 4, 5)]);
        break;
      case 'nelson7':
        hits(rule, runHits(has(Zone.inside1), 15));
        break;
      case 'nelson8':
        hits(rule, mixedOutside(has(Zone.above1), has(Zone.below1), 8));
        break;
    }
  }
  return out.sort(compareViolations);
}

function indicesWhere(flags: readonly boolean[]): number[] {
  const out: number[] = [];
  flags.forEach((f, i) => f && out.push(i));
  return out;
}

function differences(values: readonly number[]): number[] {
  return values.slice(1).map((v, i) => v - (values[i] as number));
}

/** Indices from the `length`-th element of every run of `true` to the run's end. */
function runHits(flags: readonly boolean[], length: number): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i <= flags.length; i++) {
    if (i < flags.length && flags[i]) continue;
    for (let j = start + length - 1; j < i; j++) out.push(j);
    start = i + 1;
  }
  return out;
}

/** Indices i ≥ m−1 where at least k of the last m flags are set and flag i itself is set. */
function kOfM(flags: readonly boolean[], k: number, m: number): number[] {
  const out: number[] = [];
  for (let i = m - 1; i < flags.length; i++) {
    if (!flags[i]) continue;
    let count = 0;
    for (let j = i - m + 1; j <= i; j++) if (flags[j]) count++;
    if (count >= k) out.push(i);
  }
  return out;
}

/** Indices ending a window of `m` points all beyond 1σ with at least one on each side. */
function mixedOutside(above: readonly boolean[], below: readonly boolean[], m: number): number[] {
  const out: number[] = [];
  for (let i = m - 1; i < above.length; i++) {
    let all = true;
    let anyAbove = false;
    let anyBelow = false;
    for (let j = i - m + 1; j <= i; j++) {
      all &&= (above[j] || below[j]) === true;
      anyAbove ||= above[j] === true;
      anyBelow ||= below[j] === true;
    }
    if (all && anyAbove && anyBelow) out.push(i);
  }
  return out;
}
