/**
 * The exporters' part of the collector's `/metrics` and `/api/v1/stats`: per endpoint (its
 * protocol and its target without credentials) the samples sent and dropped (by reason), the
 * retries, the records waiting and the lag in seconds.
 */
import type { ExportStreamState } from '../export/export-stream.ts';

/** Prometheus text lines (HELP, TYPE, samples) for the streams; empty when none is configured. */
export function exportMetricsText(states: readonly ExportStreamState[]): string {
  if (states.length === 0) return '';
  const out: string[] = [];
  const l = (s: ExportStreamState, extra = ''): string => `{protocol="${s.protocol}",target="${escapeLabel(s.target)}"${extra}}`;
  const m = (name: string, type: string, help: string, rows: string[]): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows);
  };
  m('sigmascope_collector_export_samples_sent_total', 'counter', 'Samples the endpoint accepted.', states.map((s) => `sigmascope_collector_export_samples_sent_total${l(s)} ${s.samplesSent}`));
  m('sigmascope_collector_export_samples_dropped_total', 'counter', 'Samples not delivered and counted: refused by the endpoint (a 4xx), or past the raw retention before they could be sent.', states.map((s) => `sigmascope_collector_export_samples_dropped_total${l(s)} ${s.samplesDropped}`));
  m('sigmascope_collector_export_retries_total', 'counter', 'Requests that failed and were tried again (5xx, 429, network errors), since start.', states.map((s) => `sigmascope_collector_export_retries_total${l(s)} ${s.retries}`));
  m('sigmascope_collector_export_pending_records', 'gauge', 'Intake records stored but not yet handed to the endpoint.', states.map((s) => `sigmascope_collector_export_pending_records${l(s)} ${Math.max(0, s.tail - s.cursor)}`));
  m('sigmascope_collector_export_lag_seconds', 'gauge', 'Age of the oldest record not yet handed to the endpoint (0 when caught up).', states.map((s) => `sigmascope_collector_export_lag_seconds${l(s)} ${s.lagSeconds}`));
  m('sigmascope_collector_export_up', 'gauge', '1 while the last request to the endpoint succeeded (or none failed yet).', states.map((s) => `sigmascope_collector_export_up${l(s)} ${s.lastError === null ? 1 : 0}`));
  return `${out.join('\n')}\n`;
}

/** The streams as /api/v1/stats shows them. */
export function exportStats(states: readonly ExportStreamState[]): object[] {
  return states.map((s) => ({
    protocol: s.protocol,
    target: s.target,
    samplesSent: s.samplesSent,
    samplesDropped: s.samplesDropped,
    droppedByReason: s.droppedByReason,
    retries: s.retries,
    unreadableRecords: s.unreadableRecords,
    pendingRecords: Math.max(0, s.tail - s.cursor),
    lagSeconds: s.lagSeconds,
    lastError: s.lastError,
    lastSuccessAt: s.lastSuccessAt,
  }));
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
