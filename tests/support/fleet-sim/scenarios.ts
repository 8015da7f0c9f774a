/**
 * Seeded fault scenarios for the fleet: a kind (or a quiet control), a size drawn from a range
 * that starts at 1.6×, a victim drawn from the fleet, and an onset drawn from a window. The same
 * seed gives the same scenario.
 */
import { seededUniform } from '../../../protocol/src/stats/seeded-uniform.ts';
import { HOSTED } from './fleet-model.ts';
import type { SimHost } from './fleet-model.ts';
import type { Fault, FaultKind } from './faults.ts';

export type ScenarioKind = FaultKind | 'quiet';
export const SCENARIO_KINDS: readonly ScenarioKind[] = ['provider', 'host', 'network', 'quiet'];

/** Slowdowns from 1.6× to 3.5×, network delays from 30 to 150 ms per round trip. */
export const SIZES = { factor: [1.6, 3.5], delayMs: [30, 150] } as const;

/** One fault of `kind` (none for quiet) with its onset drawn in [earliest, latest] and lasting `durationMs`. */
export function scenarioFaults(seed: number, kind: ScenarioKind, hosts: readonly SimHost[], earliest: number, latest: number, durationMs: number): Fault[] {
  const u = seededUniform(seed * 7919 + SCENARIO_KINDS.indexOf(kind));
  const onset = Math.round(earliest + u() * (latest - earliest));
  const end = onset + durationMs;
  const factor = SIZES.factor[0] + u() * (SIZES.factor[1] - SIZES.factor[0]);
  const victim = hosts[Math.floor(u() * hosts.length)] as SimHost;
  switch (kind) {
    case 'provider': {
      const t = HOSTED[Math.floor(u() * HOSTED.length)] as (typeof HOSTED)[number];
      return [{ kind, provider: t.provider, model: u() < 0.5 ? null : t.model, factor, onset, end }];
    }
    case 'host':
      return [{ kind, agent: victim.id, saturate: u() < 0.5 ? 'gpu' : 'cpu', factor, onset, end }];
    case 'network':
      return [{ kind, agent: victim.id, delayMs: Math.round(SIZES.delayMs[0] + u() * (SIZES.delayMs[1] - SIZES.delayMs[0])), onset, end }];
    case 'quiet':
      return [];
  }
}
