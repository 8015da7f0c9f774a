/** The JSON of `GET /api/status` (docs/api.md): everything an operator on the box needs. */
import type { LivePoint } from '@sigmascope/protocol/live';
import type { AgentEvent } from '@sigmascope/protocol/events';

export interface AgentStatus {
  readonly agentId: string;
  readonly name: string;
  readonly hostname: string;
  readonly version: string;
  readonly bootId: string;
  readonly startedAt: number;
  readonly collector: { readonly url: string | null; readonly state: string; readonly lastError: string | null; readonly connectedSince: number | null; readonly lastAckAt: number | null };
  readonly samples: { readonly produced: number; readonly acked: number; readonly dropped: Readonly<Record<string, number>>; readonly buffered: number; readonly nonFinite: number };
  readonly buffer: { readonly frames: number; readonly bytes: number; readonly capBytes: number; readonly oldestSeq: number | null; readonly newestSeq: number | null; readonly droppedSamples: number; readonly quarantinedFrames: number; readonly writeError: string | null };
  readonly sampler: { readonly intervalMs: number; readonly ticks: number; readonly lateTicks: number; readonly lastTickAt: number | null };
  readonly sources: readonly unknown[];
  readonly probes: unknown;
  readonly spc: unknown;
  readonly anomaly: unknown;
  readonly latest: readonly LivePoint[];
  readonly events: readonly (AgentEvent & { agent: string })[];
}
