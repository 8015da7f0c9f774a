/**
 * Why a firing alert notifies nobody right now: a silence that matches it, or an open provider
 * incident that explains it (inhibition). Pure.
 *
 * Inhibition: an incident of cause `provider` explains the per-agent probe alerts of that
 * provider (and model, when the incident names one) on the agents it lists: an alert whose
 * labels carry `agent` and `gen_ai.provider.name`, from any rule kind but `incident`. The
 * incident's own alert tells people; the dozen per-host alerts behind it would only bury it.
 */
import type { Incident } from '@sigmascope/protocol/incident';
import type { Suppression } from '@sigmascope/protocol/alert-view';
import type { Alert, Silence } from '../alert.ts';
import { labelsMatcher } from '../label-matchers.ts';

export type { Suppression } from '@sigmascope/protocol/alert-view';

/** The silence matching the alert (its labels plus `rule`), if any is in force. */
export function silenceFor(alert: Pick<Alert, 'rule' | 'labels'>, silences: readonly Silence[], now: number): Silence | null {
  const labels = { ...alert.labels, rule: alert.rule };
  return silences.find((s) => s.startsAt <= now && now < s.endsAt && labelsMatcher(s.matchers)(labels)) ?? null;
}

/** The open provider incident that explains this alert, if any. */
export function inhibitingIncident(alert: Pick<Alert, 'labels' | 'incident'>, ruleKind: string, incidents: readonly Incident[]): Incident | null {
  if (ruleKind === 'incident' || alert.incident !== null) return null;
  const agent = alert.labels.agent;
  const provider = alert.labels['gen_ai.provider.name'];
  if (agent === undefined || provider === undefined) return null;
  const model = alert.labels['gen_ai.request.model'];
  return incidents.find((i) => i.state !== 'resolved' && i.cause === 'provider' && i.scope.provider === provider && (i.scope.model === null || i.scope.model === model) && i.scope.agents.includes(agent)) ?? null;
}

/** Silence first (a person asked for it), then inhibition. */
export function suppressionOf(alert: Alert, ruleKind: string, silences: readonly Silence[], incidents: readonly Incident[], now: number): Suppression {
  const s = silenceFor(alert, silences, now);
  if (s !== null) return { by: 'silence', id: s.id };
  const i = inhibitingIncident(alert, ruleKind, incidents);
  return i === null ? null : { by: 'incident', id: i.id };
}
