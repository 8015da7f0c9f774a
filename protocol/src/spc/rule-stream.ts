/**
 * The streaming rule evaluator: one point at a time, O(1) time and a fixed handful of numbers
 * per series, with exactly the output of `evaluateRules` on the same points.
 *
 *   runs      above / below / inside-1σ / rising / falling / alternating  (counters)
 *   windows   last 3 beyond-2σ and last 5 beyond-1σ flags per side        (bit masks)
 *   rule 8    consecutive points beyond 1σ, and the age of the last one above and below
 */
import { RULE_IDS, type RuleId } from './rules.ts';
import { Zone, classify } from './zones.ts';

/** A snapshot of the stream's state: small and JSON-safe, for status pages and tests. */
export interface RuleStreamState {
  readonly points: number;
  readonly runAbove: number;
  readonly runBelow: number;
  readonly runInside: number;
  readonly rising: number;
  readonly falling: number;
  readonly alternating: number;
}

/**
 * Feeds points one by one; `push` returns the rules that fire at that point, in RULE_IDS order.
 * Never allocates per point beyond the returned array.
 */
export class RuleStream {
  private readonly rules: readonly RuleId[];
  private points = 0;
  private runAbove = 0;
  private runBelow = 0;
  private runInside = 0;
  private rising = 0;
  private falling = 0;
  private alternating = 0;
  private previous = 0;
  private previousDiff = 0;
  private above2 = 0;
  private below2 = 0;
  private above1 = 0;
  private below1 = 0;
  private runOutside = 0;
  private sinceAbove1 = Number.POSITIVE_INFINITY;
  private sinceBelow1 = Number.POSITIVE_INFINITY;

  constructor(rules: readonly RuleId[]) {
    const chosen = new Set(rules);
    this.rules = RULE_IDS.filter((r) => chosen.has(r));
  }

  /** Evaluates the next point (`se` = its standard error). Returns the rules it violates. */
  push(value: number, center: number, se: number): RuleId[] {
    const z = classify(value, center, se);
    this.points++;
    this.runAbove = z & Zone.above ? this.runAbove + 1 : 0;
    this.runBelow = z & Zone.below ? this.runBelow + 1 : 0;
    this.runInside = z & Zone.inside1 ? this.runInside + 1 : 0;
    if (this.points > 1) {
      const diff = value - this.previous;
      this.rising = diff > 0 ? this.rising + 1 : 0;
      this.falling = diff < 0 ? this.falling + 1 : 0;
      if (this.points > 2) this.alternating = Math.sign(diff) * Math.sign(this.previousDiff) < 0 ? this.alternating + 1 : 0;
      this.previousDiff = diff;
    }
    this.previous = value;
    this.above2 = ((this.above2 << 1) | (z & Zone.above2 ? 1 : 0)) & 0b111;
    this.below2 = ((this.below2 << 1) | (z & Zone.below2 ? 1 : 0)) & 0b111;
    this.above1 = ((this.above1 << 1) | (z & Zone.above1 ? 1 : 0)) & 0b11111;
    this.below1 = ((this.below1 << 1) | (z & Zone.below1 ? 1 : 0)) & 0b11111;
    this.runOutside = z & (Zone.above1 | Zone.below1) ? this.runOutside + 1 : 0;
    this.sinceAbove1 = z & Zone.above1 ? 0 : this.sinceAbove1 + 1;
    this.sinceBelow1 = z & Zone.below1 ? 0 : this.sinceBelow1 + 1;

    const fired: RuleId[] = [];
    for (const rule of this.rules) if (this.fires(rule, z)) fired.push(rule);
    return fired;
  }

  /** Forgets every point (a new baseline starts a new chart). */
  reset(): void {
    this.points = this.runAbove = this.runBelow = this.runInside = 0;
    this.rising = this.falling = this.alternating = 0;
    this.previous = this.previousDiff = 0;
    this.above2 = this.below2 = this.above1 = this.below1 = this.runOutside = 0;
    this.sinceAbove1 = this.sinceBelow1 = Number.POSITIVE_INFINITY;
  }

  state(): RuleStreamState {
    const { points, runAbove, runBelow, runInside, rising, falling, alternating } = this;
    return { points, runAbove, runBelow, runInside, rising, falling, alternating };
  }

  private fires(rule: RuleId, z: number): boolean {
    switch (rule) {
      case 'nelson1':
      case 'we1':
        return (z & (Zone.above3 | Zone.below3)) !== 0;
      case 'nelson2':
        return this.runAbove >= 9 || this.runBelow >= 9;
      case 'we4':
        return this.runAbove >= 8 || this.runBelow >= 8;
      case 'nelson3':
        return this.rising >= 5 || this.falling >= 5;
      case 'nelson4':
        return this.alternating >= 12;
      case 'nelson5':
      case 'we2':
        return this.points >= 3 && (kOfLast(z, Zone.above2, this.above2, 2) || kOfLast(z, Zone.below2, this.below2, 2));
      case 'nelson6':
      case 'we3':
        return this.points >= 5 && (kOfLast(z, Zone.above1, this.above1, 4) || kOfLast(z, Zone.below1, this.below1, 4));
      case 'nelson7':
        return this.runInside >= 15;
      case 'nelson8':
        return this.runOutside >= 8 && this.sinceAbove1 < 8 && this.sinceBelow1 < 8;
    }
  }
}

/** The point itself is beyond (`flag`) and at least `k` of the window's points are. */
function kOfLast(z: number, flag: number, window: number, k: number): boolean {
  return (z & flag) !== 0 && bits(window) >= k;
}

function bits(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}
