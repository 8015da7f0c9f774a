/**
 * Shapes the fleet table: one row per agent from `/api/v1/agents`, joined with the latest live
 * values (CPU, GPUs) and the open violations. Pure; `now` is passed in so tests are exact.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { Labels } from '@sigmascope/protocol/series';
import type { AgentInfo, Violation } from '../api/api-types.ts';

/** A latest value of one series of one agent. */
export interface LatestPoint {
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ts: number;
  readonly value: number;
}

/** How an agent looks from here. */
export type AgentHealth = 'live' | 'stale' | 'offline';

/** One row of the fleet table. */
export interface FleetRow {
  readonly id: string;
  readonly name: string;
  readonly hostname: string;
  readonly health: AgentHealth;
  readonly lastSeen: number | null;
  /** now − newest sample seen from this agent (or lastSeen when no live sample yet). */
  readonly lagMs: number | null;
  readonly bufferFrames: number | null;
  readonly clockSkewMs: number | null;
  /** Samples the collector set apart because this agent stamped them too far in the future. */
  readonly quarantined: number;
  /** Series stored for this agent (null from a collector that does not say). */
  readonly series: number | null;
  /** Samples refused because their series were new beyond the series caps. */
  readonly refused: number;
  readonly cpu: number | null;
  readonly gpuCount: number;
  readonly gpuUtil: number | null;
  readonly openViolations: number;
}

/** Samples older than this make a connected agent "stale". */
export const STALE_MS = 10_000;

/** CPU utilization (0..1) from one agent's latest points: the unlabelled series, else 1 − idle. */
export function cpuOf(points: readonly LatestPoint[]): number | null {
  const cpu = points.filter((p) => p.name === Metric.cpuUtilization);
  const total = cpu.find((p) => p.labels[Label.cpuMode] === undefined && p.labels.cpu === undefined);
  if (total) return total.value;
  const idle = cpu.filter((p) => p.labels[Label.cpuMode] === 'idle' && p.labels.cpu === undefined);
  if (idle.length === 1) return 1 - (idle[0] as LatestPoint).value;
  return null;
}

/** Mean GPU utilization and the number of GPUs (distinct `hw.id`) in one agent's latest points. */
export function gpusOf(points: readonly LatestPoint[]): { count: number; util: number | null } {
  const util = points.filter((p) => p.name === Metric.gpuUtilization);
  const ids = new Set(points.filter((p) => p.name.startsWith('hw.gpu.')).map((p) => p.labels[Label.hwId] ?? ''));
  const mean = util.length > 0 ? util.reduce((s, p) => s + p.value, 0) / util.length : null;
  return { count: ids.size, util: mean };
}

/** The fleet table rows, sorted by name. */
export function fleetRows(agents: readonly AgentInfo[], latest: readonly LatestPoint[], violations: readonly Violation[], now: number): FleetRow[] {
  const byAgent = new Map<string, LatestPoint[]>();
  for (const p of latest) byAgent.set(p.agent, [...(byAgent.get(p.agent) ?? []), p]);
  return agents.map((a): FleetRow => {
    const pts = byAgent.get(a.id) ?? [];
    const newest = pts.reduce<number | null>((m, p) => (m === null || p.ts > m ? p.ts : m), null);
    const seen = newest ?? a.lastSeen;
    const lagMs = seen === null ? null : Math.max(0, now - seen);
    const gpus = gpusOf(pts);
    const health: AgentHealth = !a.connected ? 'offline' : lagMs === null || lagMs > STALE_MS ? 'stale' : 'live';
    return {
      id: a.id,
      name: a.name ?? a.hostname ?? a.id,
      hostname: a.hostname ?? '',
      health,
      lastSeen: a.lastSeen,
      lagMs,
      bufferFrames: a.buffer?.frames ?? null,
      clockSkewMs: a.clockSkewMs ?? null,
      quarantined: a.quarantinedSamples ?? 0,
      series: a.series ?? null,
      refused: a.refusedSamples ?? 0,
      cpu: cpuOf(pts),
      gpuCount: gpus.count,
      gpuUtil: gpus.util,
      openViolations: violations.filter((v) => v.agent === a.id && v.state === 'open').length,
    };
  }).sort((x, y) => x.name.localeCompare(y.name));
}
