/**
 * The daily capability report (GET /api/v1/slo/report; docs/alerts.md, "SLOs"), as the collector
 * builds it and the dashboard shows it.
 */

/** Spec limits of one SLO, in the metric's unit. */
export interface SloSpec {
  readonly provider: string;
  /** null: every model of the provider. */
  readonly model: string | null;
  readonly metric: string;
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly target: number | null;
  /** `log`: capability on the log scale (limits transformed too). */
  readonly transform: 'none' | 'log';
}

/** One provider × model × host against one SLO. Centre and spreads are in chart units (natural-log units with transform log). */
export interface CapabilityRow {
  readonly provider: string;
  readonly model: string;
  readonly agent: string;
  readonly host: string;
  readonly metric: string;
  readonly transform: 'none' | 'log';
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly n: number;
  readonly mean: number | null;
  readonly sigmaWithin: number | null;
  readonly sdOverall: number | null;
  readonly cp: number | null;
  readonly cpk: number | null;
  readonly pp: number | null;
  readonly ppk: number | null;
  /** Probes past a limit, in the metric's own unit. */
  readonly outOfSpec: number;
  /** Why the indices are missing (too few probes), when they are. */
  readonly error?: string;
}

export interface CapabilityReport {
  /** The UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly from: number;
  readonly to: number;
  readonly generatedAt: number;
  readonly slos: readonly SloSpec[];
  readonly rows: readonly CapabilityRow[];
}
