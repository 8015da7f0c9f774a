/**
 * One probe target as the agent's `GET /api/status` reports it (`probes.targets`): written by the
 * agent's probe runner (agent/src/probes/probe-runner.ts), read by its status page
 * (web/src/status/probe-status.ts). JSON-safe.
 */

/** Where a target's schedule stands. */
export type ProbeState = 'waiting' | 'running' | 'backoff' | 'no_key' | 'budget_exhausted' | 'stopped';

/** A target's last run: how it ended, its timings, tokens and cost. */
export interface ProbeLastRun {
  readonly status: 'ok' | 'failed' | 'timeout';
  /** The stable `error.type` of a failure (agent/src/probes/error-type.ts), null when it succeeded. */
  readonly errorType: string | null;
  /** The HTTP status when response headers arrived. */
  readonly httpStatus: number | null;
  readonly message: string | null;
  readonly startedAt: number;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  readonly ttftMs: number | null;
  readonly totalMs: number;
}

export interface ProbeTargetStatus {
  readonly name: string;
  readonly provider: string;
  readonly genAiProvider: string;
  readonly model: string;
  /** The endpoint without its query string. */
  readonly endpoint: string | null;
  readonly demo: boolean;
  readonly state: ProbeState;
  readonly intervalMs: number;
  readonly runs: number;
  readonly failures: number;
  readonly consecutiveFailures: number;
  readonly nextRunAt: number | null;
  readonly tokensToday: number;
  readonly dailyTokenBudget: number;
  readonly last: ProbeLastRun | null;
}
