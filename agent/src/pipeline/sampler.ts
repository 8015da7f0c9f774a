/**
 * The sampler: every `intervalMs` it asks each telemetry source for its values, all stamped with
 * one wall-clock timestamp, then calls `onTick(ts)` so the batcher can seal the tick's frame.
 *
 *   slot:    0        1        2        3        4
 *            ├────────┼────────┼────────┼────────┼──▶  slot k starts at origin + k·interval
 *            tick     tick     [loop blocked ]  tick   slot 2 passed unrun: counted late, skipped;
 *            └collect┘ deadline ≤ deadlineMs    ↑      slot 3 runs late but inside its own slot
 *
 * - Drift-free: tick k is scheduled for origin + k × interval on the monotonic clock, never
 *   "interval after the previous one", so timer lateness does not accumulate. The origin sits on
 *   the wall-clock grid (…:00.000, …:00.500) so hosts tick together.
 * - A tick that fires after its slot has passed (an event loop blocked for a whole interval) is
 *   counted in `lateTicks` and skipped; the sampler runs the slot it is in instead of bunching
 *   the missed ones.
 * - Deadline: an asynchronous collect that has not settled `deadlineMs` after the tick began is
 *   abandoned for that tick (what it writes afterwards is dropped) and counted in that source's
 *   `missed`; it is not called again until it settles. A source that throws or rejects is counted
 *   the same way. Neither delays the tick or other sources. A synchronous collect cannot be
 *   interrupted: one that overruns is counted in `missed` and its samples are kept.
 */
import { systemClock } from '@sigmascope/protocol/clock';
import type { Clock } from '@sigmascope/protocol/clock';
import type { AgentEvent, LifecycleEvent } from '@sigmascope/protocol/events';
import type { Logger } from '@sigmascope/protocol/log';
import type { Series } from '@sigmascope/protocol/series';
import type { SourceState, TelemetrySource } from '../telemetry/source.ts';
import type { SampleSink } from './sample-sink.ts';

/** Time and timers, injectable so tests drive the schedule by hand (and soak tests run it faster). */
export type SamplerClock = Clock;

/** Options of the sampler. `deadlineMs` must be below `intervalMs` (the config checks it). */
export interface SamplerOptions {
  readonly intervalMs: number;
  readonly deadlineMs: number;
  readonly sources: readonly TelemetrySource[];
  readonly sink: SampleSink;
  /** Called once per tick after every source finished or timed out. */
  readonly onTick?: (ts: number) => void;
  readonly log: Logger;
  readonly clock?: SamplerClock;
  /** How long start() waits for each source's start(); a slower one keeps starting in the background. */
  readonly startTimeoutMs?: number;
}

/** One source as the status page shows it. */
export interface SourceStats {
  readonly name: string;
  readonly state: SourceState;
  readonly detail?: string;
  readonly info?: Readonly<Record<string, unknown>>;
  /** Ticks this source was skipped for: deadline missed, threw, or still busy with an earlier tick. */
  readonly missed: number;
  /** The last error it threw, if any. */
  readonly lastError?: string;
  /** Samples it wrote after its deadline, dropped. */
  readonly lateSamples: number;
}

/** Counters since start(). */
export interface SamplerStats {
  readonly ticks: number;
  readonly lateTicks: number;
  /** The wall-clock timestamp of the last completed tick. */
  readonly lastTickAt: number | null;
  readonly sources: readonly SourceStats[];
}

/** Per-source bookkeeping, with a sink that closes at the deadline. */
class Slot implements SampleSink {
  readonly source: TelemetrySource;
  private readonly sink: SampleSink;
  open = false;
  busy = false;
  missed = 0;
  lateWrites = 0;
  lastError: string | undefined;
  lastState: SourceState | undefined;

  constructor(source: TelemetrySource, sink: SampleSink) {
    this.source = source;
    this.sink = sink;
  }
  add(series: Series, ts: number, value: number): void {
    if (this.open) this.sink.add(series, ts, value);
    else this.lateWrites++;
  }
  event(event: AgentEvent): void {
    if (this.open) this.sink.event(event);
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The 2 Hz heart of the agent. start() once, stop() once. */
export class Sampler {
  private readonly o: SamplerOptions;
  private readonly clock: SamplerClock;
  private readonly slots: Slot[];
  private origin = 0;
  private next = 0;
  private timer: unknown = undefined;
  private running = false;
  private inTick: Promise<void> | null = null;
  private ticks = 0;
  private lateTicks = 0;
  private lastTickAt: number | null = null;

  constructor(options: SamplerOptions) {
    this.o = options;
    this.clock = options.clock ?? systemClock;
    this.slots = options.sources.map((s) => new Slot(s, options.sink));
  }

  /** Starts every source (each bounded by startTimeoutMs), then the schedule. */
  async start(): Promise<void> {
    if (this.running) return;
    const limit = this.o.startTimeoutMs ?? 5_000;
    await Promise.all(this.slots.map((slot) => this.startSource(slot, limit)));
    this.running = true;
    const interval = this.o.intervalMs;
    const toGrid = (interval - (this.clock.now() % interval)) % interval;
    this.origin = this.clock.monotonic() + toGrid;
    this.next = 0;
    this.schedule();
  }

  private startSource(slot: Slot, limitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(() => {
        this.o.log.warn('telemetry source still starting; sampling without waiting for it', { source: slot.source.name, afterMs: limitMs });
        resolve();
      }, limitMs);
      const finish = (): void => {
        this.clock.clearTimer(timer);
        resolve();
      };
      Promise.resolve()
        .then(() => slot.source.start())
        .catch((err: unknown) => {
          slot.lastError = errorText(err);
          this.o.log.warn('telemetry source failed to start', { source: slot.source.name, error: slot.lastError });
        })
        .then(finish);
    });
  }

  private schedule(): void {
    if (!this.running) return;
    const target = this.origin + this.next * this.o.intervalMs;
    this.timer = this.clock.setTimer(() => this.fire(), Math.max(0, target - this.clock.monotonic()));
  }

  private fire(): void {
    if (!this.running) return;
    const interval = this.o.intervalMs;
    const slotNow = Math.max(this.next, Math.floor((this.clock.monotonic() - this.origin) / interval));
    // Slots that passed while the event loop was blocked are counted, not run back to back.
    this.lateTicks += slotNow - this.next;
    this.next = slotNow + 1;
    if (this.inTick !== null) {
      this.lateTicks++;
    } else {
      const done = this.tick();
      if (done !== null) this.inTick = done.finally(() => (this.inTick = null));
    }
    this.schedule();
  }

  /** Runs one tick; returns a promise only when some source answered asynchronously. */
  private tick(): Promise<void> | null {
    const ts = this.clock.now();
    const began = this.clock.monotonic();
    const pending: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.busy) {
        slot.missed++;
        continue;
      }
      slot.open = true;
      let result: void | Promise<void>;
      try {
        result = slot.source.collect(ts, slot);
      } catch (err) {
        slot.open = false;
        this.failed(slot, err);
        continue;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        pending.push(this.awaitDeadline(slot, result, began));
      } else {
        slot.open = false;
        if (this.clock.monotonic() - began > this.o.deadlineMs) slot.missed++;
      }
    }
    if (pending.length === 0) {
      this.finish(ts);
      return null;
    }
    return Promise.all(pending).then(() => this.finish(ts));
  }

  private awaitDeadline(slot: Slot, result: Promise<void>, began: number): Promise<void> {
    slot.busy = true;
    return new Promise<void>((resolve) => {
      let decided = false;
      const timer = this.clock.setTimer(() => {
        if (decided) return;
        decided = true;
        slot.open = false;
        slot.missed++;
        resolve();
      }, Math.max(0, began + this.o.deadlineMs - this.clock.monotonic()));
      const settle = (err?: { e: unknown }): void => {
        slot.busy = false;
        slot.open = false;
        if (decided) return;
        decided = true;
        this.clock.clearTimer(timer);
        if (err !== undefined) this.failed(slot, err.e);
        resolve();
      };
      result.then(() => settle(), (e: unknown) => settle({ e }));
    });
  }

  private failed(slot: Slot, err: unknown): void {
    slot.missed++;
    const message = errorText(err);
    // One line when the error changes, not one per tick.
    if (message !== slot.lastError) this.o.log.warn('telemetry source failed', { source: slot.source.name, error: message, missed: slot.missed });
    slot.lastError = message;
  }

  private finish(ts: number): void {
    this.ticks++;
    this.lastTickAt = ts;
    this.noteTransitions(ts);
    try {
      this.o.onTick?.(ts);
    } catch (err) {
      this.o.log.error('onTick failed', { error: errorText(err) });
    }
  }

  /** A source leaving `ok` (or coming back to it) becomes a lifecycle event beside the samples. */
  private noteTransitions(ts: number): void {
    for (const slot of this.slots) {
      const s = this.statusOf(slot);
      const before = slot.lastState;
      slot.lastState = s.state;
      if (before === undefined || before === s.state) continue;
      let what: LifecycleEvent['what'] | null = null;
      if (before === 'ok' && (s.state === 'degraded' || s.state === 'disabled')) what = 'source_down';
      else if ((before === 'degraded' || before === 'disabled') && s.state === 'ok') what = 'source_up';
      if (what !== null) this.o.sink.event({ kind: 'lifecycle', ts, what, detail: s.detail === undefined ? slot.source.name : `${slot.source.name}: ${s.detail}` });
    }
  }

  private statusOf(slot: Slot): { state: SourceState; detail?: string; info?: Readonly<Record<string, unknown>> } {
    try {
      return slot.source.status();
    } catch (err) {
      return { state: 'degraded', detail: `status failed: ${errorText(err)}` };
    }
  }

  /** Counters and each source's state. Safe to call at any time. */
  stats(): SamplerStats {
    return {
      ticks: this.ticks,
      lateTicks: this.lateTicks,
      lastTickAt: this.lastTickAt,
      sources: this.slots.map((slot): SourceStats => {
        const s = this.statusOf(slot);
        return {
          name: slot.source.name,
          state: s.state,
          ...(s.detail !== undefined ? { detail: s.detail } : {}),
          ...(s.info !== undefined ? { info: s.info } : {}),
          missed: slot.missed,
          ...(slot.lastError !== undefined ? { lastError: slot.lastError } : {}),
          lateSamples: slot.lateWrites,
        };
      }),
    };
  }

  /** Stops the schedule, lets a tick in progress finish, then stops every source. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    this.clock.clearTimer(this.timer);
    await this.inTick;
    await Promise.all(this.slots.map((s) => this.stopSource(s)));
  }

  private stopSource(slot: Slot): Promise<void> {
    return Promise.resolve()
      .then(() => slot.source.stop())
      .catch((err: unknown) => this.o.log.warn('telemetry source failed to stop', { source: slot.source.name, error: errorText(err) }));
  }
}
