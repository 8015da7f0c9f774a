/**
 * A fault the tracker follows from its first finding to its resolution, and how a new finding is
 * matched to it: by the signals they share, else by who they are about (the same provider for
 * provider findings; a shared agent and the same cause otherwise). Pure data and pure functions.
 *
 *   pending ──settled (settleMs; unknownSettleMs for cause unknown)──▶ open ──(person)──▶ acknowledged
 *      │ not seen for two passes: dropped                      │                          │
 *      ▼                                                        └──signals quiet resolveAfterMs──┴──▶ resolved
 */
import type { Incident, IncidentCause } from '@sigmascope/protocol/incident';
import type { Finding } from '../attribution/attribute.ts';

export interface Track {
  /** Null while pending. */
  incident: Incident | null;
  /** The cause as decided so far. */
  cause: IncidentCause;
  confidence: number;
  /** The latest finding that matched. */
  finding: Finding;
  /** Every signal that has been part of it. */
  readonly keys: Set<string>;
  /** Agents affected at any time. */
  readonly agents: Set<string>;
  startedAt: number;
  readonly firstSeen: number;
  lastSeen: number;
  /** Since when none of its signals has shifted; null while one has. */
  quietSince: number | null;
  /** Resolved by a person while its signals still moved: it absorbs them until they are quiet. */
  absorbing: boolean;
  /** When its evidence was last written. */
  savedAt: number;
}

/** A new pending track for a finding first seen at `now`. */
export function newTrack(f: Finding, now: number): Track {
  return {
    incident: null, cause: f.cause, confidence: f.confidence, finding: f, keys: new Set(f.signals.map((s) => s.key)), agents: new Set(f.scope.agents),
    startedAt: f.startedAt, firstSeen: now, lastSeen: now, quietSince: null, absorbing: false, savedAt: now,
  };
}

/** How well `f` matches `t`: shared signals count most; 0.5 for the same subject without shared signals; 0: no match. */
export function matchScore(t: Track, f: Finding): number {
  let shared = 0;
  for (const s of f.signals) if (t.keys.has(s.key)) shared++;
  if (shared > 0) return shared;
  if (f.cause !== t.cause) return 0;
  if (f.cause === 'provider') return f.scope.provider === t.finding.scope.provider ? 0.5 : 0;
  return f.scope.agents.some((a) => t.agents.has(a)) ? 0.5 : 0;
}

/**
 * Takes a matched finding into the track at `now`. The cause follows the finding while pending;
 * once open it changes only to a known cause with clearly more confidence (the last shifts of a
 * provider's fault, lingering at one host, are not "unknown"). Returns whether the cause or the
 * scope changed.
 */
export function absorb(t: Track, f: Finding, now: number): boolean {
  const before = `${t.cause}|${t.finding.scope.provider}|${t.finding.scope.model}|${[...t.agents].join(',')}`;
  for (const s of f.signals) t.keys.add(s.key);
  t.lastSeen = now;
  t.startedAt = Math.min(t.startedAt, f.startedAt);
  const adopt = t.incident === null || (f.cause !== t.cause && f.cause !== 'unknown' && (t.cause === 'unknown' || f.confidence >= t.confidence + 0.1));
  if (adopt || f.cause === t.cause) {
    if (adopt && f.cause !== t.cause) t.agents.clear();
    t.cause = f.cause;
    t.confidence = adopt ? f.confidence : Math.max(t.confidence, f.confidence);
    t.finding = f;
    for (const a of f.scope.agents) t.agents.add(a);
  }
  return before !== `${t.cause}|${t.finding.scope.provider}|${t.finding.scope.model}|${[...t.agents].join(',')}`;
}
