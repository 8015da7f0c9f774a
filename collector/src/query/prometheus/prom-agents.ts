/**
 * The agents list from an engine: the agent info series every collector writes beside the samples
 * (collector/src/export/agent-info.ts), read with one instant query. An agent shows while some
 * collector still announces it (each announces the agents it saw in the last week, every 5 s);
 * it is connected when its collector says so and said it within the last minute.
 */
import { AgentInfoMetric } from '../../export/agent-info.ts';
import { prometheusMetricName } from '../../export/prometheus-names.ts';
import type { AgentView } from '../query-backend.ts';
import type { PromApi } from './prom-api.ts';

const FRESH_MS = 60_000;

const NAMES = Object.fromEntries(Object.entries(AgentInfoMetric).map(([k, v]) => [prometheusMetricName(v), k])) as Record<string, keyof typeof AgentInfoMetric>;

/** Every agent some collector announced within the engine's lookback, sorted by id. */
export async function promAgents(api: PromApi, now: number): Promise<AgentView[]> {
  const rows = await api.instant(`{__name__=~"${Object.keys(NAMES).join('|')}"}`, now);
  const byAgent = new Map<string, { labels: Record<string, string>; host: string; at: number; values: Partial<Record<keyof typeof AgentInfoMetric, number>> }>();
  for (const r of rows) {
    const agent = r.metric.agent;
    const field = NAMES[r.metric.__name__ ?? ''];
    const sample = r.values[0];
    if (agent === undefined || field === undefined || sample === undefined) continue;
    let a = byAgent.get(agent);
    if (a === undefined) byAgent.set(agent, (a = { labels: {}, host: r.metric.host ?? '', at: 0, values: {} }));
    a.values[field] = Number(sample[1]);
    a.at = Math.max(a.at, sample[0] * 1000);
    if (field === 'info') a.labels = r.metric;
  }
  return [...byAgent.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([id, a]) => {
      const v = a.values;
      const lastSeen = Math.round((v.lastSeen ?? a.at / 1000) * 1000);
      return {
        id,
        name: a.labels.agent_name ?? id,
        hostname: a.host,
        version: a.labels.version ?? '',
        bootId: a.labels.boot_id ?? '',
        firstSeen: Math.round((v.firstSeen ?? 0) * 1000),
        lastSeen,
        clockSkewMs: Math.round((v.clockSkew ?? 0) * 1000),
        samples: v.samples ?? 0,
        lastSeq: v.lastSeq ?? 0,
        quarantinedSamples: v.quarantined ?? 0,
        refusedSamples: v.refused ?? 0,
        series: v.series ?? 0,
        connected: v.connected === 1 && now - a.at < FRESH_MS,
      };
    });
}
