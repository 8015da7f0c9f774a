/** The JSON of `GET /api/status` (docs/api.md): everything an operator on the box needs. */
import type { LivePoint } from '@sigmascope/protocol/live';
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { AgentViolation } from '@sigmascope/protocol/agent-violation';

export interface AgentStatus {
  readonly agentId: string;
  readonly name: string;
  readonly hostname: string;
  readonly version: string;
  readonly bootId: string;
  readonly startedAt: number;
  readonly collector: {
    readonly url: string | null; readonly state: string; readonly lastError: string | null; readonly connectedSince: number | null; readonly lastAckAt: number | null;
    /** The protocol version of the current link, or null while not connected. */
    readonly protocol: number | null;
    /** Frames sent and not acknowledged yet; since when the oldest waits (ms) or null; the timeout; how often it fired. */
    readonly framesInFlight: number; readonly awaitingAckSince: number | null; readonly ackTimeoutMs: number; readonly ackTimeouts: number;
  };
  readonly samples: { readonly produced: number; readonly acked: number; readonly dropped: Readonly<Record<string, number>>; readonly buffered: number; readonly nonFinite: number };
  readonly buffer: { readonly frames: number; readonly bytes: number; readonly diskBytes: number; readonly capBytes: number; readonly oldestSeq: number | null; readonly newestSeq: number | null; readonly droppedSamples: number; readonly quarantinedFrames: number; readonly writeError: string | null };
  readonly sampler: { readonly intervalMs: number; readonly ticks: number; readonly lateTicks: number; readonly lastTickAt: number | null };
  /** This process's memory in bytes (process.memoryUsage()): heap growth tells a leak from mapped buffer pages in the RSS. */
  readonly memory: { readonly rss: number; readonly heapUsed: number; readonly heapTotal: number; readonly external: number; readonly arrayBuffers: number };
  readonly sources: readonly unknown[];
  readonly probes: unknown;
  readonly spc: unknown;
  /** This agent's recent SPC violations, newest first, in the state the collector gave them (violation-ledger.ts). */
  readonly violations: readonly AgentViolation[];
  /** The anomaly watch: what it watches and its recent events (agent/src/anomaly/anomaly-watch.ts). */
  readonly anomaly: unknown;
  readonly latest: readonly LivePoint[];
  readonly events: readonly (AgentEvent & { agent: string })[];
}
