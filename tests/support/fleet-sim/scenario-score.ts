/**
 * Scores the incidents a collector opened against the faults that were injected: each fault
 * should be exactly one incident, opened soon after its onset, with the right cause and scope;
 * an incident that belongs to no fault is a false one (quiet periods must have none).
 *
 * An incident belongs to a fault when it was active during the fault (± a minute) and is about
 * it: a provider fault's provider, or a host or network fault's agent.
 */
import type { Incident } from '../../../protocol/src/incident.ts';
import { expectedScope } from './faults.ts';
import type { Fault } from './faults.ts';

export interface FaultScore {
  readonly fault: Fault;
  /** Incidents that belong to it (one is right). */
  readonly incidents: readonly Incident[];
  /** Cause and scope of its first incident are right. */
  readonly right: boolean;
  /** openedAt − onset of its first incident (ms), or null. */
  readonly openedAfterMs: number | null;
  /** What was wrong, for reports; empty when right. */
  readonly problems: readonly string[];
}

export interface ScenarioScore {
  readonly faults: readonly FaultScore[];
  /** Incidents that belong to no fault. */
  readonly falseIncidents: readonly Incident[];
}

const SLACK_MS = 60_000;

function belongs(i: Incident, f: Fault): boolean {
  const end = i.resolvedAt ?? Number.POSITIVE_INFINITY;
  if (i.startedAt > f.end + SLACK_MS || end < f.onset - SLACK_MS || i.openedAt < f.onset - SLACK_MS) return false;
  if (f.kind === 'provider') return i.scope.provider === f.provider;
  return i.scope.agents.includes(f.agent);
}

/** Scores `incidents` (everything the collector has, resolved or not) against `faults`. */
export function scoreScenario(faults: readonly Fault[], incidents: readonly Incident[]): ScenarioScore {
  const used = new Set<string>();
  const scores = faults.map((fault): FaultScore => {
    const mine = incidents.filter((i) => belongs(i, fault)).sort((a, b) => a.openedAt - b.openedAt);
    for (const i of mine) used.add(i.id);
    const first = mine[0];
    const want = expectedScope(fault);
    const problems: string[] = [];
    if (first === undefined) problems.push('no incident');
    else {
      if (first.cause !== want.cause) problems.push(`cause ${first.cause}, not ${want.cause}`);
      if (want.provider !== null && first.scope.provider !== want.provider) problems.push(`provider ${first.scope.provider}, not ${want.provider}`);
      if (want.agents !== null && first.scope.agents.join(',') !== want.agents.join(',')) problems.push(`agents ${first.scope.agents.join(',')}, not ${want.agents.join(',')}`);
      if (mine.length > 1) problems.push(`${mine.length} incidents, not one`);
    }
    return { fault, incidents: mine, right: problems.length === 0, openedAfterMs: first === undefined ? null : first.openedAt - fault.onset, problems };
  });
  return { faults: scores, falseIncidents: incidents.filter((i) => !used.has(i.id)) };
}
