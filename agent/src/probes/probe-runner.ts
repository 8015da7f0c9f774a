/**
 * Runs the configured probes on their own schedules and writes what they measure to the sink.
 *
 *   start() ─▶ per target: wait (staggered) ─▶ key? budget? ─▶ run (async I/O only) ─▶ record
 *                 ▲                                                                     │
 *                 └──── next delay: interval, retry-after on 429, backoff on 5xx/529 ◀──┘
 *
 * A target never has two runs at once; the caller's event loop is only ever lent for parsing a
 * few kilobytes. `stop()` aborts runs in flight and records nothing after it. `status()` is
 * JSON-safe and carries no key (messages are redacted where they are made).
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { warmUpTransport } from './http-transport.ts';
import { nextDelayMs } from './probe-backoff.ts';
import { probePrompt } from './probe-prompt.ts';
import { recordProbeResult } from './probe-record.ts';
import type { Probe, ProbeResult } from './probe.ts';
import type { ProbeState, ProbeTargetStatus } from '@sigmascope/protocol/probe-target-status';
import type { ProbesConfig, ProbeTarget } from './probes-config.ts';
import { createProbe } from './registry.ts';
import { DailyTokenBudget } from './token-budget.ts';

export interface ProbeRunnerDeps {
  readonly sink: SampleSink;
  readonly log: Logger;
  /** The key of a key store entry, or null when it is not set. Called before each run. */
  readonly key: (keyName: string) => string | null;
  /** Prompt template with `{nonce}`; the built-in one by default. */
  readonly prompt?: string;
  readonly now?: () => number;
  readonly wallClock?: () => number;
  readonly random?: () => number;
  readonly demoSeed?: number;
  /** Delay before the first run of target i (default: 1 s + 0.7 s × i, so starts are staggered). */
  readonly firstDelayMs?: (index: number, target: ProbeTarget) => number;
}

/** One target on the status page: the protocol's type, shared with the page that shows it. */
export type { ProbeState, ProbeTargetStatus } from '@sigmascope/protocol/probe-target-status';

export interface ProbeRunner {
  /** Schedules every target; returns at once. */
  start(): void;
  /** Cancels timers, aborts runs in flight, resolves when they have ended. Idempotent. */
  stop(): Promise<void>;
  status(): { readonly targets: readonly ProbeTargetStatus[]; readonly pricesAsOf: string };
}

interface Slot {
  readonly target: ProbeTarget;
  readonly probe: Probe;
  readonly budget: DailyTokenBudget;
  state: ProbeState;
  runs: number;
  failures: number;
  consecutive: number;
  nextRunAt: number | null;
  timer: NodeJS.Timeout | undefined;
  inflight: Promise<void> | null;
  abort: AbortController | null;
  last: ProbeTargetStatus['last'];
  warnedNoKey: boolean;
}

/** Builds the runner; nothing runs until `start()`. */
export function createProbeRunner(config: ProbesConfig, deps: ProbeRunnerDeps): ProbeRunner {
  const wall = deps.wallClock ?? Date.now;
  const random = deps.random ?? Math.random;
  let stopped = false;
  const slots: Slot[] = config.targets.map((target) => ({
    target,
    probe: createProbe(target, { key: deps.key, prices: config.prices, ...(deps.now ? { now: deps.now } : {}), ...(deps.wallClock ? { wallClock: deps.wallClock } : {}), ...(deps.demoSeed !== undefined ? { demoSeed: deps.demoSeed } : {}) }),
    budget: new DailyTokenBudget(target.dailyTokenBudget, wall),
    state: 'waiting', runs: 0, failures: 0, consecutive: 0, nextRunAt: null, timer: undefined, inflight: null, abort: null, last: null, warnedNoKey: false,
  }));

  const schedule = (slot: Slot, delayMs: number): void => {
    if (stopped) return;
    slot.nextRunAt = wall() + delayMs;
    slot.timer = setTimeout(() => runSlot(slot), delayMs);
    slot.timer.unref?.();
  };

  const runSlot = (slot: Slot): void => {
    if (stopped) return;
    const t = slot.target;
    if (t.keyName !== null && deps.key(t.keyName) === null) {
      slot.state = 'no_key';
      if (!slot.warnedNoKey) deps.log.warn('probe has no key; set one with `sigmascope keys set`', { probe: t.name, key: t.keyName });
      slot.warnedNoKey = true;
      return schedule(slot, t.intervalMs);
    }
    const prompt = probePrompt(deps.prompt);
    // Worst case: a prompt token per 3 characters plus the whole max_tokens.
    const estimate = { input: Math.ceil(prompt.length / 3) + 8, output: t.maxTokens };
    if (!slot.budget.allows(estimate.input + estimate.output)) {
      slot.state = 'budget_exhausted';
      return schedule(slot, Math.max(t.intervalMs, slot.budget.msUntilReset()));
    }
    slot.state = 'running';
    slot.nextRunAt = null;
    const abort = new AbortController();
    slot.abort = abort;
    slot.inflight = slot.probe.run({ prompt, maxTokens: t.maxTokens, signal: abort.signal }).then(
      (r) => {
        slot.inflight = null;
        slot.abort = null;
        if (stopped) return;
        finish(slot, r, estimate);
      },
      (err: unknown) => {
        // A bug, not a provider failure: log it and keep the schedule alive.
        slot.inflight = null;
        deps.log.error('probe crashed', { probe: t.name, err });
        schedule(slot, t.intervalMs);
      },
    );
  };

  const finish = (slot: Slot, r: ProbeResult, estimate: { input: number; output: number }): void => {
    const t = slot.target;
    slot.runs++;
    slot.budget.record(r.inputTokens, r.outputTokens, r.httpStatus !== null && r.httpStatus >= 200 && r.httpStatus < 300 ? estimate : { input: 0, output: 0 });
    recordProbeResult(deps.sink, { genAiProvider: slot.probe.genAiProvider, model: t.model, demo: t.provider === 'demo' }, r);
    slot.last = {
      status: r.status, errorType: r.errorType, httpStatus: r.httpStatus, message: r.message, startedAt: r.startedAt,
      inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: r.costUsd, ttftMs: r.timings.ttftMs, totalMs: r.timings.totalMs,
    };
    if (r.status === 'ok') {
      slot.consecutive = 0;
      deps.log.debug('probe ok', { probe: t.name, ttftMs: r.timings.ttftMs, totalMs: r.timings.totalMs, chunks: r.chunks });
    } else {
      slot.failures++;
      slot.consecutive++;
      deps.log.warn('probe failed', { probe: t.name, errorType: r.errorType, status: r.httpStatus, message: r.message });
    }
    const delay = nextDelayMs(r, slot.consecutive, t.intervalMs, random);
    slot.state = delay > t.intervalMs ? 'backoff' : 'waiting';
    schedule(slot, delay);
  };

  return {
    start() {
      if (slots.some((s) => s.target.provider !== 'demo')) void warmUpTransport();
      slots.forEach((slot, i) => schedule(slot, deps.firstDelayMs ? deps.firstDelayMs(i, slot.target) : Math.min(slot.target.intervalMs, 1_000 + 700 * i)));
    },
    async stop() {
      stopped = true;
      for (const slot of slots) {
        clearTimeout(slot.timer);
        slot.abort?.abort();
        slot.state = 'stopped';
        slot.nextRunAt = null;
      }
      await Promise.all(slots.map((s) => s.inflight));
    },
    status() {
      return {
        pricesAsOf: config.prices.asOf,
        targets: slots.map((s) => ({
          name: s.target.name, provider: s.target.provider, genAiProvider: s.probe.genAiProvider, model: s.target.model,
          endpoint: s.target.url === null ? null : s.target.url.split('?')[0] ?? null, demo: s.target.provider === 'demo',
          state: s.state, intervalMs: s.target.intervalMs, runs: s.runs, failures: s.failures, consecutiveFailures: s.consecutive,
          nextRunAt: s.nextRunAt, tokensToday: s.budget.spentToday(), dailyTokenBudget: s.target.dailyTokenBudget, last: s.last,
        })),
      };
    },
  };
}
