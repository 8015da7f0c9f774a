/**
 * `on: spc`: episodes of SPC violations from the events the agents stored. An episode is a run
 * of open violations of one series on one agent with gaps shorter than `quiet`; it is a condition
 * until `quiet` passes without a new violation. Violations a person acknowledged or resolved
 * (POST /api/v1/violations/:id) no longer count.
 */
import type { SpcViolationEvent } from '@sigmascope/protocol/events';
import type { Condition } from '../alert.ts';
import type { SpcRuleConfig } from '../config/rule-config.ts';
import { labelsKey, labelsMatcher } from '../label-matchers.ts';
import { agentNames, formatValue } from './rule-evaluator.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';

const LOOKBACK_MS = 6 * 3_600_000;
const MAX_EVENTS = 20_000;

export function spcRule(config: SpcRuleConfig, ctx: RuleContext): RuleEvaluator {
  const matches = labelsMatcher(config.match);
  return {
    config,
    evaluate(now) {
      const episodes = new Map<string, { labels: Record<string, string>; events: SpcViolationEvent[] }>();
      for (const row of ctx.store.events({ from: now - LOOKBACK_MS, to: now, kind: 'spc', limit: MAX_EVENTS })) {
        const e = row.event;
        if (e.kind !== 'spc' || row.state !== 'open') continue;
        if (!matches({ ...e.labels, agent: row.agent, name: e.name, rule: e.rule })) continue;
        const key = `${row.agent}\u0000${e.name}{${labelsKey(e.labels)}}`;
        const ep = episodes.get(key) ?? { labels: { ...e.labels, agent: row.agent, metric: e.name }, events: [] };
        episodes.set(key, ep);
        ep.events.push(e);
      }
      const name = agentNames(ctx.store);
      const out: Condition[] = [];
      for (const [key, ep] of episodes) {
        const evs = ep.events.sort((a, b) => a.ts - b.ts);
        const last = evs[evs.length - 1] as SpcViolationEvent;
        if (now - last.ts > config.quietMs) continue;
        let start = evs.length - 1;
        while (start > 0 && (evs[start] as SpcViolationEvent).ts - (evs[start - 1] as SpcViolationEvent).ts <= config.quietMs) start--;
        const run = evs.slice(start);
        const rules = [...new Set(run.map((e) => e.rule))].sort();
        out.push({
          key,
          labels: ep.labels,
          summary: `${last.name} on ${name(ep.labels.agent as string)} is out of control: ${rules.join(', ')}, ${run.length} violation${run.length === 1 ? '' : 's'}; last ${formatValue(last.value)} against centre ${formatValue(last.center)}`,
          since: (run[0] as SpcViolationEvent).ts,
        });
      }
      return out;
    },
  };
}
