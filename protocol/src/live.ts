/**
 * The live feed for browsers: one frame per tick, computed once by the server (collector or
 * agent) and shared by every open page. Sent as JSON over Server-Sent Events (`event: tick`).
 */
import type { AgentEvent } from './events.ts';
import type { Labels } from './series.ts';

/** The latest value of one series. `agent` is the agent id (the collector feed) or the local agent's id. */
export interface LivePoint {
  readonly agent: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ts: number;
  readonly value: number;
}

export interface LiveFrame {
  /** Server time when the frame was built (ms). */
  readonly ts: number;
  /** Points that arrived since the previous frame (every sample, not only the latest per series). */
  readonly points: readonly LivePoint[];
  /** Events that arrived since the previous frame, with the agent they came from. */
  readonly events: readonly (AgentEvent & { readonly agent: string })[];
}
