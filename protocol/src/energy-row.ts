/**
 * One host × served model of `GET /api/v1/energy`: joules per output token with its interval,
 * as the collector computes it (protocol/src/energy) and the providers view shows it.
 */
export interface EnergyRow {
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  /** null without tokens in the window. */
  readonly joulesPerToken: number | null;
  readonly interval: readonly [number, number] | null;
  readonly level: number;
  readonly tokensPerSecond: number;
  readonly tokens: number;
  readonly joules: number;
  /** Mean power of the host's GPUs together over the covered time (W). */
  readonly watts: number;
  readonly gpus: number;
  readonly coveredMs: number;
  /** Other models drew on the same GPUs: the energy is shared by their tokens. */
  readonly shared: boolean;
}
