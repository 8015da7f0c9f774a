/**
 * "Is it them or us?": the shifted signals of one detector pass become findings, each one fault
 * with a cause, a confidence, a scope and the evidence it rests on (DESIGN.md, "Incidents").
 *
 *   1. provider: for each provider and model, the vantage points that judge its TTFT; if the far
 *      end's own time moved at ≥ 2 of them and at ≥ half of them, it is the provider's fault,
 *      the more confidently the more of them agree and the cleaner those agents' other
 *      providers and host telemetry are (mostly dirty: unknown). Several models of one provider
 *      at once are one finding about the provider.
 *   2. per agent, what no provider finding claimed: connect/TLS/DNS up across what it probes
 *      with the far end's own time and the host normal → network; its host, GPU or local server
 *      shifting with it → host; anything else that degrades → unknown. Host telemetry that
 *      moves while nothing degrades is no incident.
 *   3. agent findings of one cause whose onsets lie within `groupWindowMs` are one finding:
 *      shifts that start together are one fault.
 *
 * Pure: same snapshot, same findings.
 */
import type { IncidentCause, IncidentEvidence, IncidentScope } from '@sigmascope/protocol/incident';
import type { ShiftedSignal, Snapshot } from '../detection/detector.ts';
import { agentShifts } from './agent-shifts.ts';
import type { AgentShifts, TargetShift } from './agent-shifts.ts';

/** One fault as one pass sees it. */
export interface Finding {
  readonly cause: IncidentCause;
  readonly confidence: number;
  readonly scope: IncidentScope;
  /** Estimated onset (ms). */
  readonly startedAt: number;
  /** Every signal it rests on (its evidence, in the same order). */
  readonly signals: readonly ShiftedSignal[];
  /** For provider findings: vantage points that judge the provider, and how many of them see it. */
  readonly vantage: { readonly probing: number; readonly degraded: number } | null;
}

/** Onsets within this window of each other are one fault. */
export const GROUP_WINDOW_MS = 90_000;

/** The findings of a snapshot, provider findings first. */
export function attribute(snapshot: Snapshot): Finding[] {
  const agents = agentShifts(snapshot.shifted);
  const claimed = new Set<string>();
  const findings = providerFindings(snapshot, agents, claimed);
  const perAgent: Finding[] = [];
  for (const a of agents.values()) {
    const f = agentFinding(a, claimed);
    if (f !== null) perAgent.push(f);
  }
  return [...findings, ...groupByOnset(perAgent)];
}

function providerFindings(snapshot: Snapshot, agents: ReadonlyMap<string, AgentShifts>, claimed: Set<string>): Finding[] {
  // provider → the degraded targets (one per model) with the agents that see each.
  const byProvider = new Map<string, { targets: TargetShift[][]; probing: Set<string> }>();
  for (const [target, probing] of snapshot.vantage) {
    if (probing.size < 2) continue;
    const degraded: TargetShift[] = [];
    for (const a of agents.values()) {
      const t = a.targets.get(target);
      if (t !== undefined && t.serverSide) degraded.push(t);
    }
    if (degraded.length < 2 || degraded.length < probing.size / 2) continue;
    const provider = (degraded[0] as TargetShift).provider;
    let p = byProvider.get(provider);
    if (p === undefined) byProvider.set(provider, (p = { targets: [], probing: new Set() }));
    p.targets.push(degraded);
    for (const agent of probing) p.probing.add(agent);
  }
  const out: Finding[] = [];
  for (const [provider, p] of byProvider) {
    const shifts = p.targets.flat();
    const degradedAgents = [...new Set(shifts.map((t) => agentOf(t)))].sort();
    const models = [...new Set(shifts.map((t) => t.model))];
    // Clean: nothing else of that agent moved, neither another provider nor its host.
    let clean = 0;
    for (const agent of degradedAgents) {
      const a = agents.get(agent) as AgentShifts;
      const others = [...a.targets.values()].some((t) => t.provider !== provider);
      if (!others && a.explaining.length === 0) clean++;
    }
    const cleanShare = clean / degradedAgents.length;
    const agreeing = degradedAgents.length / p.probing.size;
    const signals = shifts.flatMap((t) => t.signals);
    for (const s of signals) claimed.add(s.key);
    out.push({
      cause: cleanShare >= 0.5 ? 'provider' : 'unknown',
      confidence: round2(Math.min(1, (0.4 + 0.6 * agreeing) * (0.5 + 0.5 * cleanShare))),
      scope: { provider, model: models.length === 1 ? (models[0] as string) : null, agents: degradedAgents },
      startedAt: medianOf(degradedAgents.map((agent) => Math.min(...signals.filter((s) => s.agent === agent).map((s) => s.onset)))),
      signals: sortEvidence(signals),
      vantage: { probing: p.probing.size, degraded: degradedAgents.length },
    });
  }
  return out;
}

function agentFinding(a: AgentShifts, claimed: ReadonlySet<string>): Finding | null {
  const targets = [...a.targets.values()].map((t) => ({ ...t, signals: t.signals.filter((s) => !claimed.has(s.key)) })).filter((t) => t.signals.length > 0);
  if (targets.length === 0 && a.served.length === 0) return null;
  const network = targets.filter((t) => t.network);
  const farEnd = targets.filter((t) => t.serverSide);
  let cause: IncidentCause;
  let confidence: number;
  if (network.length > 0 && farEnd.length === 0 && a.served.length === 0 && a.explaining.length === 0) {
    cause = 'network';
    // Across what it probes: the more of its degraded targets show it, the surer (one target: 0.6).
    confidence = 0.5 + 0.5 * Math.min(1, network.length / Math.max(2, targets.length));
  } else if (a.explaining.length > 0) {
    cause = 'host';
    const load = a.explaining.some((s) => s.role === 'server') || a.served.length > 0;
    const hardware = a.explaining.some((s) => s.role === 'host' || s.role === 'gpu');
    confidence = 0.5 + (load ? 0.25 : 0) + (hardware ? 0.25 : 0);
  } else {
    cause = 'unknown';
    confidence = 0.3;
  }
  const impact = [...targets.flatMap((t) => t.signals), ...a.served];
  const signals = sortEvidence([...impact, ...a.explaining]);
  const providers = [...new Set(targets.map((t) => t.provider))];
  const models = [...new Set(targets.map((t) => t.model))];
  return {
    cause, confidence,
    scope: { provider: providers.length === 1 ? (providers[0] as string) : null, model: providers.length === 1 && models.length === 1 ? (models[0] as string) : null, agents: [a.agent] },
    startedAt: Math.min(...impact.map((s) => s.onset)),
    signals,
    vantage: null,
  };
}

/** Agent findings of one cause that start together become one. */
function groupByOnset(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const sorted = [...findings].sort((x, y) => x.startedAt - y.startedAt);
  for (const f of sorted) {
    const into = out.findIndex((g) => g.cause === f.cause && Math.abs(g.startedAt - f.startedAt) <= GROUP_WINDOW_MS);
    if (into < 0) {
      out.push(f);
      continue;
    }
    const g = out[into] as Finding;
    const providers = g.scope.provider === f.scope.provider ? g.scope.provider : null;
    out[into] = {
      cause: g.cause,
      confidence: Math.max(g.confidence, f.confidence),
      scope: { provider: providers, model: providers !== null && g.scope.model === f.scope.model ? g.scope.model : null, agents: [...g.scope.agents, ...f.scope.agents].sort() },
      startedAt: Math.min(g.startedAt, f.startedAt),
      signals: sortEvidence([...g.signals, ...f.signals]),
      vantage: null,
    };
  }
  return out;
}

const agentOf = (t: TargetShift): string => (t.signals[0] as ShiftedSignal).agent;

/** Strongest first, so a capped evidence list keeps what matters. */
function sortEvidence(signals: readonly ShiftedSignal[]): ShiftedSignal[] {
  return [...signals].sort((x, y) => Math.abs(y.evidence.score) - Math.abs(x.evidence.score) || (x.key < y.key ? -1 : 1));
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : Math.round(((s[m - 1] as number) + (s[m] as number)) / 2);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The evidence of a finding's signals. */
export function evidenceOf(f: Finding): IncidentEvidence[] {
  return f.signals.map((s) => s.evidence);
}
