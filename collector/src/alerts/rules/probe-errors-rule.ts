/**
 * `on: probe_errors`: the share of failed probes over a rolling window, per agent × provider ×
 * model. A probe is one `gen_ai.client.operation.duration` sample; a failed one carries
 * `error.type`. Fires above `above` once at least `minProbes` ran in the window; clears at or
 * below `recover`.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { Condition } from '../alert.ts';
import type { ProbeErrorsRuleConfig } from '../config/rule-config.ts';
import { formatDuration } from '../config/duration.ts';
import { labelsMatcher } from '../label-matchers.ts';
import { agentNames, matchingSeries } from './rule-evaluator.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';

const MAX_SERIES = 100_000;

export function probeErrorsRule(config: ProbeErrorsRuleConfig, ctx: RuleContext): RuleEvaluator {
  const matches = labelsMatcher(config.match);
  return {
    config,
    evaluate(now, firing) {
      const groups = new Map<string, { labels: Record<string, string>; probes: number; errors: number; firstError: number; types: Set<string> }>();
      const found = matchingSeries(ctx.store, Metric.genAiDuration, (s) => matches({ ...s.labels, agent: s.agent }), MAX_SERIES);
      for (const s of found) {
        const labels = { agent: s.agent, [Label.genAiProvider]: s.labels[Label.genAiProvider] ?? '', [Label.genAiModel]: s.labels[Label.genAiModel] ?? '' };
        const key = JSON.stringify(labels);
        const g = groups.get(key) ?? { labels, probes: 0, errors: 0, firstError: Number.POSITIVE_INFINITY, types: new Set<string>() };
        groups.set(key, g);
        const { ts } = ctx.store.raw(s.id, now - config.windowMs, now);
        g.probes += ts.length;
        const type = s.labels[Label.errorType];
        if (type !== undefined && ts.length > 0) {
          g.errors += ts.length;
          g.types.add(type);
          g.firstError = Math.min(g.firstError, ts[0] as number);
        }
      }
      const name = agentNames(ctx.store);
      const out: Condition[] = [];
      for (const [key, g] of groups) {
        if (g.probes < config.minProbes || g.errors === 0) continue;
        const rate = g.errors / g.probes;
        if (!(rate > (firing(key) ? config.recover : config.above))) continue;
        out.push({
          key,
          labels: g.labels,
          summary: `${Math.round(rate * 100)} % of probes of ${g.labels[Label.genAiProvider]} ${g.labels[Label.genAiModel]} from ${name(g.labels.agent as string)} failed in the last ${formatDuration(config.windowMs)} (${g.errors} of ${g.probes}: ${[...g.types].sort().join(', ')})`,
          since: g.firstError,
        });
      }
      return out;
    },
  };
}
