import { formatAge } from '../format/units.ts';

/** One remote-write or OTLP endpoint as `GET /api/v1/stats` reports it (`export`). */
export interface ExportLine {
  readonly protocol: string;
  readonly target: string;
  readonly samplesSent: number;
  readonly samplesDropped: number;
  readonly pendingRecords: number;
  readonly lagSeconds: number;
  readonly lastError: string | null;
}

/**
 * Lag below which an endpoint counts as caught up. A healthy exporter is seldom at zero: it looks
 * for new records once a second and agents send twice a second, so a second or two of records
 * nearly always wait. Only a lag beyond that rhythm says the endpoint is falling behind.
 */
export const CAUGHT_UP_LAG_SECONDS = 5;

export interface ExportState {
  /** Records wait beyond the exporter's rhythm. */
  readonly behind: boolean;
  readonly tone: 'ok' | 'warn' | 'bad';
  readonly text: string;
}

/** What the export line says about an endpoint: failing, so long behind, or caught up. */
export function exportState(l: ExportLine): ExportState {
  const behind = l.pendingRecords > 0 && l.lagSeconds > CAUGHT_UP_LAG_SECONDS;
  if (l.lastError !== null) return { behind, tone: 'bad', text: 'failing' };
  if (behind) return { behind, tone: 'warn', text: `${formatAge(l.lagSeconds * 1000)} behind` };
  return { behind, tone: 'ok', text: 'caught up' };
}
