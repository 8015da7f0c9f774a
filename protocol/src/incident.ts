/**
 * An incident: one fault the collector found in what its agents report, with its cause ("is it
 * them or us?") and the evidence it rests on. The shape of `GET /api/v1/incidents` (DESIGN.md,
 * "Incidents"), drawn by the dashboard and matched by the alert rules of kind `incident`.
 * Times in ms since the epoch.
 */

export const INCIDENT_CAUSES = ['provider', 'host', 'network', 'unknown'] as const;
export type IncidentCause = (typeof INCIDENT_CAUSES)[number];

export const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** One series that moved: its robust baseline against its current level. */
export interface IncidentEvidence {
  readonly agent: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Baseline level (median) in the series' unit. */
  readonly baseline: number;
  /** Current level (median over the detection window) in the series' unit. */
  readonly current: number;
  /** current / baseline for latencies (log-scale shifts), current − baseline for other series. */
  readonly shift: number;
  /** Robust effect size: the shift in units of the baseline's scaled MAD. */
  readonly score: number;
}

export interface IncidentScope {
  readonly provider: string | null;
  readonly model: string | null;
  /** Ids of the agents affected. */
  readonly agents: readonly string[];
}

export interface Incident {
  readonly id: string;
  readonly state: IncidentState;
  /** Estimated onset. */
  readonly startedAt: number;
  readonly openedAt: number;
  readonly resolvedAt: number | null;
  readonly cause: IncidentCause;
  /** 0..1 */
  readonly confidence: number;
  readonly scope: IncidentScope;
  /** One sentence a person reads first. */
  readonly summary: string;
  readonly evidence: readonly IncidentEvidence[];
  /** The note given with the last acknowledge or resolve, if any. */
  readonly note?: string | null;
}

/** What happened to an incident; `updated` covers a new cause, scope or evidence while open. */
export type IncidentChangeKind = 'opened' | 'updated' | 'acknowledged' | 'resolved';

export interface IncidentChange {
  readonly kind: IncidentChangeKind;
  readonly incident: Incident;
}

/**
 * The collector's incidents, as the alerting side sees them: the open ones now, and every change
 * as it happens. A listener is called after the change is durable, never inside a transaction,
 * and must not throw (what it does with the change is its own affair).
 */
export interface IncidentSource {
  /** Incidents in state open or acknowledged. */
  open(): readonly Incident[];
  /** Calls `listener` on every later change; returns the function that stops it. */
  subscribe(listener: (change: IncidentChange) => void): () => void;
}
