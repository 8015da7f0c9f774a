/**
 * The agents as series, so that a reader of the engine (the Prometheus query backend, Grafana)
 * knows the fleet without this collector's database: every known agent seen within the last week,
 * each period, as
 *
 *   sigmascope_agent_info{agent, host, agent_name, version, boot_id} 1
 *   sigmascope_agent_connected 0|1, sigmascope_agent_samples_total, sigmascope_agent_last_seq,
 *   sigmascope_agent_clock_skew_seconds, sigmascope_agent_first_seen_seconds,
 *   sigmascope_agent_last_seen_seconds, sigmascope_agent_quarantined_samples_total
 *
 * stamped with the collector's clock. They are not in the intake: a missed period is made good by
 * the next one, so they are sent best effort, beside the cursor.
 */
import type { AgentInfo } from '../store/store.ts';
import type { ExportBatch, ExportSeries } from './export-batch.ts';

export const AgentInfoMetric = {
  info: 'sigmascope.agent.info',
  connected: 'sigmascope.agent.connected',
  samples: 'sigmascope.agent.samples',
  lastSeq: 'sigmascope.agent.last_seq',
  clockSkew: 'sigmascope.agent.clock_skew',
  firstSeen: 'sigmascope.agent.first_seen',
  lastSeen: 'sigmascope.agent.last_seen',
  quarantined: 'sigmascope.agent.quarantined_samples',
  refused: 'sigmascope.agent.refused_samples',
  series: 'sigmascope.agent.series',
} as const;

/** Agents last seen longer ago than this are no longer announced. */
export const AGENT_INFO_LOOKBACK_MS = 7 * 86_400_000;

/** The period's series for these agents (connected: the ids with an open connection). */
export function agentInfoBatch(agents: readonly AgentInfo[], connected: ReadonlySet<string>, now: number): ExportBatch {
  const series: ExportSeries[] = [];
  for (const a of agents) {
    if (now - a.lastSeen > AGENT_INFO_LOOKBACK_MS) continue;
    const one = (name: string, value: number, labels: Record<string, string> = {}): void => {
      series.push({ agent: a.id, host: a.hostname, name, labels, ts: [now], values: [value] });
    };
    one(AgentInfoMetric.info, 1, { agent_name: a.name, version: a.version, boot_id: a.bootId });
    one(AgentInfoMetric.connected, connected.has(a.id) ? 1 : 0);
    one(AgentInfoMetric.samples, a.samples);
    one(AgentInfoMetric.lastSeq, a.lastSeq);
    one(AgentInfoMetric.clockSkew, a.clockSkewMs / 1000);
    one(AgentInfoMetric.firstSeen, a.firstSeen / 1000);
    one(AgentInfoMetric.lastSeen, (connected.has(a.id) ? now : a.lastSeen) / 1000);
    one(AgentInfoMetric.quarantined, a.quarantinedSamples);
    one(AgentInfoMetric.refused, a.refusedSamples);
    one(AgentInfoMetric.series, a.series);
  }
  return { series };
}
