/**
 * `on: agent_offline`: an agent not connected and silent for at least `for`. Its last batch's
 * arrival (`lastSeen`) is the evidence; an agent never seen is not offline, only unknown.
 */
import type { Condition } from '../alert.ts';
import type { AgentOfflineRuleConfig } from '../config/rule-config.ts';
import { formatDuration } from '../config/duration.ts';
import { labelsMatcher } from '../label-matchers.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';

export function agentOfflineRule(config: AgentOfflineRuleConfig, ctx: RuleContext): RuleEvaluator {
  const matches = labelsMatcher(config.match);
  return {
    config,
    evaluate(now) {
      const connected = ctx.connectedAgents();
      const out: Condition[] = [];
      for (const a of ctx.store.agents()) {
        const labels = { agent: a.id, hostname: a.hostname };
        if (!matches(labels) || connected.has(a.id) || now - a.lastSeen < config.forMs) continue;
        out.push({ key: a.id, labels, summary: `agent ${a.hostname || a.name || a.id} has sent nothing for ${formatDuration(Math.floor((now - a.lastSeen) / 1000) * 1000)} (last seen ${new Date(a.lastSeen).toISOString()})`, since: a.lastSeen });
      }
      return out;
    },
  };
}
