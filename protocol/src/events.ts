/**
 * Events travel beside samples in batch frames: SPC violations, probe failures and agent
 * lifecycle. Each carries the producer's timestamp in ms.
 */
import type { Labels } from './series.ts';

/** An SPC rule fired on a series at a point. */
export interface SpcViolationEvent {
  readonly kind: 'spc';
  readonly ts: number;
  readonly name: string;
  readonly labels: Labels;
  readonly rule: string;
  readonly value: number;
  readonly center: number;
  readonly sigma: number;
}

/** A probe of an LLM provider failed. `status` is the HTTP status when one was received. */
export interface ProbeFailureEvent {
  readonly kind: 'probe';
  readonly ts: number;
  readonly provider: string;
  readonly model: string;
  readonly errorType: string;
  readonly status?: number;
  readonly message?: string;
}

/** Something happened to the agent itself (boot, a source appearing or going away, buffer drops). */
export interface LifecycleEvent {
  readonly kind: 'lifecycle';
  readonly ts: number;
  readonly what: LifecycleWhat;
  readonly detail?: string;
  readonly count?: number;
}

export const LIFECYCLE_WHATS = ['boot', 'source_up', 'source_down', 'buffer_drop', 'buffer_quarantine', 'sample_rejected'] as const;
export type LifecycleWhat = (typeof LIFECYCLE_WHATS)[number];

export type AgentEvent = SpcViolationEvent | ProbeFailureEvent | LifecycleEvent;
