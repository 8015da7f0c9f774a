/**
 * The port every rule kind implements (one file per kind beside this one, named in rule-kinds.ts).
 * Lifecycle: built once from its frozen config at start; `evaluate` is called by the alert engine
 * every `alerts.evaluateEvery`, reads the store (never writes) and returns what is wrong now.
 * It may throw: the engine then keeps that rule's alerts as they were and tries again next time.
 */
import type { IncidentSource } from '@sigmascope/protocol/incident';
import type { SeriesRef, Store } from '../../store/store.ts';
import type { Condition } from '../alert.ts';
import type { RuleConfig } from '../config/rule-config.ts';

/** What rules read. */
export interface RuleContext {
  readonly store: Pick<Store, 'findSeries' | 'raw' | 'latest' | 'events' | 'agents'>;
  readonly connectedAgents: () => ReadonlySet<string>;
  readonly incidents: IncidentSource;
}

export interface RuleEvaluator {
  readonly config: RuleConfig;
  /**
   * The conditions true at `now`. `firing(key)` tells whether the condition with that key is part
   * of a firing alert, so a rule can apply its recovery hysteresis.
   */
  evaluate(now: number, firing: (key: string) => boolean): Condition[];
}

/** Shown in summaries: numbers short and readable. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : Number(v.toPrecision(3)).toString();
}

/** Agent id → the name a person knows it by (its hostname, else its id). */
export function agentNames(store: RuleContext['store']): (id: string) => string {
  const names = new Map(store.agents().map((a) => [a.id, a.hostname || a.name || a.id]));
  return (id) => names.get(id) ?? id;
}

/**
 * The series of `metric` that `accept` keeps, at most `limit`. Throws when more match: a rule
 * that silently looked at only some of them would miss alerts (the engine then keeps the rule's
 * alerts as they were and logs why).
 */
export function matchingSeries(store: RuleContext['store'], metric: string, accept: (s: SeriesRef) => boolean, limit: number): SeriesRef[] {
  const found = store.findSeries(metric, accept, limit);
  if (found.truncated) throw new Error(`more than ${limit} series of ${metric} match: narrow the rule's labels or match`);
  return found.series;
}
