/**
 * `on: incident`: every open (or acknowledged) incident the collector found that matches the
 * rule's cause, provider, model and agent. It clears when the incident resolves.
 */
import type { Incident } from '@sigmascope/protocol/incident';
import type { Condition } from '../alert.ts';
import type { IncidentRuleConfig } from '../config/rule-config.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';

/** Whether an incident is one the rule's `match` asks for. */
export function incidentMatches(m: IncidentRuleConfig['match'], i: Incident): boolean {
  return (m.cause === null || i.cause === m.cause) && (m.provider === null || i.scope.provider === m.provider) && (m.model === null || i.scope.model === m.model) && (m.agent === null || i.scope.agents.includes(m.agent));
}

export function incidentRule(config: IncidentRuleConfig, ctx: RuleContext): RuleEvaluator {
  return {
    config,
    evaluate() {
      return ctx.incidents.open().filter((i) => incidentMatches(config.match, i)).map((i): Condition => ({
        key: i.id,
        labels: { incident: i.id, cause: i.cause, ...(i.scope.provider !== null ? { 'gen_ai.provider.name': i.scope.provider } : {}), ...(i.scope.model !== null ? { 'gen_ai.request.model': i.scope.model } : {}), ...(i.scope.agents.length === 1 ? { agent: i.scope.agents[0] as string } : {}) },
        summary: i.summary,
        since: i.startedAt,
        incident: i,
      }));
    },
  };
}
