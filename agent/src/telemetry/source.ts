/**
 * A telemetry source: something on the host the sampler reads every tick (CPU, memory, network,
 * disk, GPUs). Lifecycle:
 *
 *   create (factory, cheap, no I/O) → start() once → collect() every tick → stop() once
 *
 * `collect` must be fast: the sampler gives each source a deadline per tick; a source that misses
 * it is skipped for that tick and counted, and never delays the tick. A source that cannot work on
 * this host (no nvidia-smi, no /proc) reports `disabled` in status() and emits nothing; it does
 * not throw every tick.
 */
import type { SampleSink } from '../pipeline/sample-sink.ts';

export type SourceState = 'starting' | 'ok' | 'degraded' | 'disabled' | 'stopped';

export interface SourceStatus {
  readonly state: SourceState;
  /** Human-readable reason for anything but `ok`, e.g. "nvidia-smi not found on PATH". */
  readonly detail?: string;
  /** Source-specific facts for the status page, e.g. the GPU inventory. Small, JSON-safe. */
  readonly info?: Readonly<Record<string, unknown>>;
}

export interface TelemetrySource {
  /** Stable short name, e.g. `cpu`, `gpu`: shown on the status page and in /api/status. */
  readonly name: string;
  /** Prepares the source (inventory, child processes). Never throws: failures become status. */
  start(): Promise<void>;
  /** Reads the current values and writes them to `sink` with timestamp `ts` (ms). May be async. */
  collect(ts: number, sink: SampleSink): void | Promise<void>;
  /** Current state; called by the status server at any time. */
  status(): SourceStatus;
  /** Releases children and handles. Idempotent. */
  stop(): Promise<void>;
}
