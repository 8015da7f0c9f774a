/**
 * `on: budget`: what the probes cost over a rolling window (`sigmascope.probe.cost`, USD per
 * probe, priced by each agent from its price table, agent/src/probes/prices.ts), summed per the
 * rule's `by` keys (default: the whole fleet). Fires while the sum exceeds `limitUsd`. Probes of
 * models without a known price carry no cost and are not counted (docs/alerts.md).
 * A day of probes is many points, so the sums are recomputed at most once a minute.
 */
import { Metric } from '@sigmascope/protocol/metrics';
import type { Condition } from '../alert.ts';
import type { BudgetRuleConfig } from '../config/rule-config.ts';
import { formatDuration } from '../config/duration.ts';
import { labelsMatcher } from '../label-matchers.ts';
import { matchingSeries } from './rule-evaluator.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';

const MAX_SERIES = 100_000;
const RECOMPUTE_MS = 60_000;

export function budgetRule(config: BudgetRuleConfig, ctx: RuleContext): RuleEvaluator {
  const matches = labelsMatcher(config.match);
  let cached: { at: number; conditions: Condition[] } | null = null;
  const compute = (now: number): Condition[] => {
    const sums = new Map<string, { labels: Record<string, string>; usd: number; first: number; probes: number }>();
    for (const s of matchingSeries(ctx.store, Metric.probeCost, (x) => x.labels['error.type'] === undefined && matches({ ...x.labels, agent: x.agent }), MAX_SERIES)) {
      const labels: Record<string, string> = {};
      for (const k of config.by) labels[k] = k === 'agent' ? s.agent : (s.labels[k] ?? '');
      const key = JSON.stringify(labels);
      const g = sums.get(key) ?? { labels, usd: 0, first: Number.POSITIVE_INFINITY, probes: 0 };
      sums.set(key, g);
      const { ts, values } = ctx.store.raw(s.id, now - config.windowMs, now);
      for (let i = 0; i < values.length; i++) g.usd += values[i] as number;
      g.probes += ts.length;
      if (ts.length > 0) g.first = Math.min(g.first, ts[0] as number);
    }
    const out: Condition[] = [];
    for (const [key, g] of sums) {
      if (!(g.usd > config.limitUsd)) continue;
      const scope = Object.entries(g.labels).map(([k, v]) => `${k}=${v}`).join(', ');
      out.push({ key, labels: g.labels, summary: `probes spent $${g.usd.toFixed(2)} in the last ${formatDuration(config.windowMs)}${scope ? ` (${scope})` : ''}, over the budget of $${config.limitUsd.toFixed(2)} (${g.probes} probes)`, since: g.first });
    }
    return out;
  };
  return {
    config,
    evaluate(now) {
      if (cached === null || now - cached.at >= RECOMPUTE_MS || now < cached.at) cached = { at: now, conditions: compute(now) };
      return cached.conditions;
    },
  };
}
