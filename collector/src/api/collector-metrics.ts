/** Prometheus text for the collector (`GET /metrics`). */
import type { IngestStats } from '../ingest/ingest-stats.ts';

export function collectorMetricsText(s: IngestStats, agentsConnected: number, livePages: number, seriesStored: number): string {
  const out: string[] = [];
  const m = (name: string, type: string, help: string, rows: [string, number][]): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows.map(([l, v]) => `${name}${l} ${v}`));
  };
  m('sigmascope_collector_samples_stored_total', 'counter', 'Samples stored (after dedupe).', [['', s.samplesStored]]);
  m('sigmascope_collector_frames_stored_total', 'counter', 'Batches stored.', [['', s.framesStored]]);
  m('sigmascope_collector_frames_duplicate_total', 'counter', 'Batches received again and not stored.', [['', s.framesDuplicate]]);
  m('sigmascope_collector_commits_total', 'counter', 'Store transactions that committed batches (several batches per group commit).', [['', s.commits]]);
  m('sigmascope_collector_samples_duplicate_total', 'counter', 'Samples in duplicate batches.', [['', s.samplesDuplicate]]);
  m('sigmascope_collector_commit_failures_total', 'counter', 'Store transactions that failed; their batches were not acknowledged.', [['', s.commitFailures]]);
  m('sigmascope_collector_store_writable', 'gauge', '1 unless the store refused the last batch and has not committed since.', [['', s.storeRefusing === null ? 1 : 0]]);
  m('sigmascope_collector_samples_quarantined_total', 'counter', 'Samples acknowledged but set apart: stamped too far in the future.', [['', s.samplesQuarantined]]);
  m('sigmascope_collector_series', 'gauge', 'Series stored, all agents.', [['', seriesStored]]);
  m('sigmascope_collector_series_limit', 'gauge', 'Series caps: per agent and in all (ingest.maxSeriesPerAgent, ingest.maxSeries).', [['{scope="agent"}', s.seriesMaxPerAgent], ['{scope="total"}', s.seriesMaxTotal]]);
  m('sigmascope_collector_series_refused_total', 'counter', 'New series refused beyond the caps, counted in every frame they came in.', [['', s.seriesRefused]]);
  m('sigmascope_collector_samples_refused_total', 'counter', 'Samples acknowledged but not stored: their series were new beyond the caps.', [['', s.samplesRefused]]);
  m('sigmascope_collector_frames_rejected_total', 'counter', 'Frames rejected, by code.', Object.entries(s.framesRejected).map(([code, v]) => [`{code="${code}"}`, v]));
  m('sigmascope_collector_auth_refused_total', 'counter', 'Upgrades refused, by reason.', Object.entries(s.authRefused).map(([r, v]) => [`{reason="${r}"}`, v]));
  m('sigmascope_collector_connections_open', 'gauge', 'Agent connections open.', [['', s.connectionsOpen]]);
  m('sigmascope_collector_connections_revoked_total', 'counter', 'Agent connections closed (4004) because their token was revoked.', [['', s.connectionsRevoked]]);
  m('sigmascope_collector_agents_connected', 'gauge', 'Agents with an open connection.', [['', agentsConnected]]);
  m('sigmascope_collector_live_pages', 'gauge', 'Pages subscribed to the live feed.', [['', livePages]]);
  return `${out.join('\n')}\n`;
}
