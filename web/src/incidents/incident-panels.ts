/**
 * What the page draws for one incident, all on one time axis from ten minutes before its onset
 * to a few minutes after it resolved (or now), with the onset, the opening and the resolution
 * marked on every panel:
 *
 *   1. the provider's TTFT at every host that probes it, side by side (the fleet-wide overlay:
 *      everyone slower is the provider; one host slower is that host or its path);
 *   2. at the first affected hosts, connect, TLS and time to first byte beside TTFT (the network
 *      part of the wait against the whole of it);
 *   3. at the first affected hosts, GPU utilization, CPU busy and the local server's queue
 *      (10 s means, as the detector judges them).
 *
 * Pure: the requests to make, and the lines to draw from their answers.
 */
import type { Incident } from '@sigmascope/protocol/incident';
import { Label, Metric } from '@sigmascope/protocol/metrics';
import { seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import type { SeriesResult } from '../api/api-types.ts';
import { toChartSeries } from '../charts/series-datasets.ts';
import type { ChartSeries } from '../charts/series-datasets.ts';
import type { TimeMarker } from '../charts/time-markers.ts';

/** One `/api/v1/series` request. */
export interface PanelRequest {
  readonly name: string;
  readonly agent?: string;
  readonly labels: Labels;
  /** Averages over buckets this wide (ms), for 2 Hz telemetry: the 10 s means the detector judges. */
  readonly stepMs?: number;
}

const TELEMETRY_STEP_MS = 10_000;

export interface PanelSpec {
  readonly id: string;
  readonly heading: string;
  readonly requests: readonly PanelRequest[];
}

/** Affected hosts that get panels of their own. */
const HOSTS_SHOWN = 2;
const BEFORE_MS = 10 * 60_000;
const AFTER_MS = 5 * 60_000;

/** The key under which an answer to `r` is kept. */
export function requestKey(r: PanelRequest): string {
  return `${r.agent ?? '*'}\u0000${seriesKey(r.name, r.labels)}\u0000${r.stepMs ?? 0}`;
}

/** The incident's time axis: from before the onset to after it resolved, never past `now`. */
export function incidentBounds(i: Incident, now: number): { min: number; max: number } {
  const max = Math.min(now, i.resolvedAt === null ? now : i.resolvedAt + AFTER_MS);
  return { min: Math.min(i.startedAt - BEFORE_MS, max - 60_000), max };
}

/** The instants marked on every panel. */
export function incidentMarkers(i: Incident, colors: { onset: string; opened: string; resolved: string }): TimeMarker[] {
  const out: TimeMarker[] = [{ at: i.startedAt, label: 'onset', color: colors.onset }, { at: i.openedAt, label: 'opened', color: colors.opened }];
  if (i.resolvedAt !== null) out.push({ at: i.resolvedAt, label: 'resolved', color: colors.resolved });
  return out;
}

/** The panels of an incident; `name` gives a host's display name. */
export function incidentPanels(i: Incident, name: (agent: string) => string): PanelSpec[] {
  const target: Record<string, string> = {};
  if (i.scope.provider !== null) target[Label.genAiProvider] = i.scope.provider;
  if (i.scope.model !== null) target[Label.genAiModel] = i.scope.model;
  const what = i.scope.provider === null ? '' : ` of ${i.scope.provider}${i.scope.model === null ? '' : `/${i.scope.model}`}`;
  const hosts = i.scope.agents.slice(0, HOSTS_SHOWN);
  const panels: PanelSpec[] = [
    i.scope.provider !== null
      ? { id: 'fleet-ttft', heading: `TTFT${what} at every host`, requests: [{ name: Metric.genAiTimeToFirstChunk, labels: target }] }
      : { id: 'fleet-ttft', heading: `TTFT at ${i.scope.agents.map(name).join(', ')}`, requests: i.scope.agents.map((agent) => ({ name: Metric.genAiTimeToFirstChunk, agent, labels: {} })) },
  ];
  for (const agent of hosts) {
    panels.push({
      id: `network-${agent}`,
      heading: `${name(agent)}: connect, TLS and first byte beside TTFT${what}`,
      requests: [Metric.probeConnectDuration, Metric.probeTlsDuration, Metric.probeTimeToFirstByte, Metric.genAiTimeToFirstChunk].map((n) => ({ name: n, agent, labels: target })),
    });
    panels.push({
      id: `host-${agent}`,
      heading: `${name(agent)}: GPU, CPU and the local server's queue`,
      requests: [
        { name: Metric.gpuUtilization, agent, labels: {}, stepMs: TELEMETRY_STEP_MS },
        { name: Metric.cpuUtilization, agent, labels: { [Label.cpuMode]: 'idle' }, stepMs: TELEMETRY_STEP_MS },
        { name: Metric.inferenceRequestsWaiting, agent, labels: {}, stepMs: TELEMETRY_STEP_MS },
      ],
    });
  }
  return panels;
}

/**
 * The lines of a panel from the answers held (by requestKey). Failed probe runs are left out
 * (their timeouts would flatten the chart); idle CPU is drawn as busy, 1 − idle.
 */
export function panelSeries(p: PanelSpec, answers: ReadonlyMap<string, readonly SeriesResult[]>, hostNames: ReadonlyMap<string, string>): ChartSeries[] {
  const lines = p.requests.flatMap((r) => (answers.get(requestKey(r)) ?? []).map((s) => ({ ...s, agent: s.agent ?? r.agent ?? '' })))
    .filter((s) => s.labels[Label.errorType] === undefined)
    .map((s) => (s.name === Metric.cpuUtilization && s.labels[Label.cpuMode] === 'idle' ? { ...s, labels: { ...s.labels, [Label.cpuMode]: 'busy' }, points: s.points.map(([t, v]) => [t, 1 - v] as const) } : s));
  return toChartSeries(lines, hostNames);
}
