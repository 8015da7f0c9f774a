/** Rule kind (`on:`) → the factory of its evaluator. Add a kind: one file in rules/, one line here, one in config/rule-config.ts. */
import type { RuleConfig, RuleKind } from '../config/rule-config.ts';
import { agentOfflineRule } from './agent-offline-rule.ts';
import { budgetRule } from './budget-rule.ts';
import { incidentRule } from './incident-rule.ts';
import { probeErrorsRule } from './probe-errors-rule.ts';
import type { RuleContext, RuleEvaluator } from './rule-evaluator.ts';
import { spcRule } from './spc-rule.ts';
import { thresholdRule } from './threshold-rule.ts';

type Factory<K extends RuleKind> = (config: Extract<RuleConfig, { on: K }>, ctx: RuleContext) => RuleEvaluator;

const KINDS: { readonly [K in RuleKind]: Factory<K> } = {
  incident: incidentRule,
  spc: spcRule,
  threshold: thresholdRule,
  probe_errors: probeErrorsRule,
  agent_offline: agentOfflineRule,
  budget: budgetRule,
};

/** The evaluator of one configured rule. */
export function ruleEvaluator(config: RuleConfig, ctx: RuleContext): RuleEvaluator {
  return (KINDS[config.on] as Factory<RuleKind>)(config as never, ctx);
}
