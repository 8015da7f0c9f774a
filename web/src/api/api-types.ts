/**
 * The JSON the pages read, as docs/api.md describes it. Fields the docs mark optional, or that
 * older servers may not send yet, are optional here so every component renders a dash instead
 * of failing. Types only: nothing here runs.
 */
import type { AgentViolation } from '@sigmascope/protocol/agent-violation';
import type { SpcViolationEvent } from '@sigmascope/protocol/events';
import type { Labels } from '@sigmascope/protocol/series';
import type { ProbeTargetStatus } from '@sigmascope/protocol/probe-target-status';
import type { WatchedSeriesInfo } from '../status/spc-watch-status.ts';

/** One agent of `GET /api/v1/agents`. `buffer` is read when the collector reports it. */
export interface AgentInfo {
  readonly id: string;
  readonly name?: string;
  readonly hostname?: string;
  readonly version?: string;
  readonly bootId?: string;
  readonly connected: boolean;
  readonly lastSeen: number | null;
  readonly samples?: number;
  readonly lastSeq?: number;
  readonly clockSkewMs?: number | null;
  /** Samples acknowledged but quarantined: stamped too far ahead of the collector's clock. */
  readonly quarantinedSamples?: number;
  /** Series the collector stores for this agent. */
  readonly series?: number;
  /** Samples acknowledged but refused: their series were new beyond the collector's series caps. */
  readonly refusedSamples?: number;
  readonly buffer?: { readonly frames?: number; readonly bytes?: number };
}

/** One series of `GET /api/v1/series`: points are `[ts_ms, value]`. */
export interface SeriesResult {
  readonly agent?: string;
  readonly name: string;
  readonly labels: Labels;
  readonly points: readonly (readonly [number, number])[];
}

/** `GET /api/v1/series`: raw points, or bucket averages with `stepMs`. */
export interface SeriesResponse {
  readonly resolution: 'raw' | 'step';
  readonly stepMs?: number;
  readonly series: readonly SeriesResult[];
}

/** Violation lifecycle states (the protocol's, which the agent learns too); the list offers the next ones as buttons. */
export type { ViolationState } from '@sigmascope/protocol/frames';
import type { ViolationState } from '@sigmascope/protocol/frames';

/** One violation of `GET /api/v1/violations` (or a local SPC event on the status page, without id): the agent's event as stored. */
export interface Violation extends Omit<SpcViolationEvent, 'kind'> {
  readonly id?: string | number;
  readonly agent: string;
  readonly state: ViolationState;
}

/** The agent's `GET /api/status`, the parts the status page shows. */
export interface AgentStatusInfo {
  readonly agentId: string;
  readonly name?: string;
  readonly hostname: string;
  readonly version: string;
  readonly startedAt: number;
  readonly collector: {
    readonly url: string | null;
    readonly state: 'connecting' | 'connected' | 'disconnected' | 'disabled' | string;
    readonly lastError: string | null;
    readonly connectedSince: number | null;
    readonly lastAckAt?: number | null;
    /** Frames sent and not acknowledged; since when the oldest waits; the ack timeout and how often it fired. */
    readonly framesInFlight?: number;
    readonly awaitingAckSince?: number | null;
    readonly ackTimeoutMs?: number;
    readonly ackTimeouts?: number;
  };
  readonly samples: { readonly produced: number; readonly acked: number; readonly dropped: Readonly<Record<string, number>>; readonly buffered: number };
  /** `diskBytes`: the file space the frames take, what `capBytes` bounds (older agents send only `bytes`). */
  readonly buffer: { readonly frames: number; readonly bytes: number; readonly diskBytes?: number; readonly capBytes: number; readonly oldestSeq: number | null; readonly droppedSamples: number };
  readonly sampler?: { readonly intervalMs: number; readonly ticks: number; readonly lateTicks: number; readonly lastTickAt: number | null };
  readonly sources?: readonly { readonly name: string; readonly state: string; readonly detail?: string; readonly missed?: number }[];
  readonly latest?: readonly { readonly agent: string; readonly name: string; readonly labels: Labels; readonly ts: number; readonly value: number }[];
  /** Probe targets (agent/src/probes/probe-runner.ts status()). */
  readonly probes?: { readonly targets?: readonly ProbeTargetStatus[]; readonly pricesAsOf?: string } | readonly unknown[];
  /** The SPC watch (agent/src/spc/spc-watch.ts status()). */
  readonly spc?: { readonly enabled?: boolean; readonly series?: readonly WatchedSeriesInfo[]; readonly untracked?: number; readonly events?: number };
  readonly events?: readonly ({ readonly kind: string; readonly ts: number; readonly agent: string } & Record<string, unknown>)[];
  /** Its recent violations in the collector's states, newest first (agents of protocol 2 on; older ones: only `events`). */
  readonly violations?: readonly AgentViolation[];
}
