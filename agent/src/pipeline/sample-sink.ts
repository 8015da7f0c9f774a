/**
 * Where samples and events go once produced: the batcher implements it; tests use the in-memory
 * sink. Sources, probes and the SPC watch write here and never see frames or buffers.
 */
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { Series } from '@sigmascope/protocol/series';

export interface SampleSink {
  /** One sample. `ts` in ms since the epoch. A non-finite value is dropped and counted, never sent. */
  add(series: Series, ts: number, value: number): void;
  /** One event (SPC violation, probe failure, lifecycle). */
  event(event: AgentEvent): void;
}

/** Keeps everything in arrays: for tests and for `sigmascope probe`, which prints instead of shipping. */
export class InMemorySampleSink implements SampleSink {
  readonly samples: { series: Series; ts: number; value: number }[] = [];
  readonly events: AgentEvent[] = [];
  add(series: Series, ts: number, value: number): void {
    this.samples.push({ series, ts, value });
  }
  event(event: AgentEvent): void {
    this.events.push(event);
  }
}
