/**
 * Drives one target through its stages: warm-up requests first (one at a time, excluded from
 * everything), then each stage as a closed loop (N workers, each sending its next request when
 * its last one ends) or an open loop (each request fired at its scheduled time whether or not
 * earlier ones have finished). Requests take the dataset's records in order, cycling.
 *
 * Every finished request is handed to `onRecord` at once, so an interrupted run keeps what
 * finished. After `signal` aborts nothing new starts, and requests still in flight are
 * abandoned without a record: they did not finish.
 */
import type { Probe } from '@sigmascope/agent/probes/probe';
import type { CompiledExpectation } from '../dataset/checks.ts';
import { requestRecord } from '../output/request-record.ts';
import type { RequestRecord } from '../output/request-record.ts';
import type { Stage } from '../schedule/stages.ts';
import type { DatasetRecord } from '../suite/suite.ts';

export interface TargetRun {
  readonly target: string;
  readonly probe: Probe;
  readonly records: readonly DatasetRecord[];
  /** The compiled check of each record (same index), null where it has none. */
  readonly checks: readonly (CompiledExpectation | null)[];
  readonly stages: readonly Stage[];
  readonly warmup: number;
  readonly maxTokens: number;
  /** ms since the run started, monotonic. */
  readonly clock: () => number;
  readonly signal: AbortSignal;
  readonly onRecord: (r: RequestRecord, stage: number) => void;
  /** Called as each stage begins. */
  readonly onStage?: (stage: number) => void;
}

/** Resolves at `at` on `clock` (never before: Node's timers may fire up to a millisecond early), or on abort. */
async function sleepUntil(clock: () => number, at: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && clock() < at) {
    const wait = Math.max(1, Math.ceil(at - clock()));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Runs the target to the end of its last stage (or the abort). */
export async function runTarget(t: TargetRun): Promise<void> {
  let next = 0;
  const send = async (scheduledMs: number, stage: Stage | null, stageIndex: number): Promise<void> => {
    const i = next++;
    const rec = t.records[i % t.records.length] as DatasetRecord;
    const check = t.checks[i % t.records.length] ?? null;
    const calledAt = t.clock();
    const result = await t.probe.run({ prompt: rec.prompt, maxTokens: t.maxTokens, signal: t.signal, captureText: check !== null });
    if (stage === null || (t.signal.aborted && result.status !== 'ok')) return;
    const verdict = check !== null && result.status === 'ok' ? check.check(result.text ?? '') : null;
    t.onRecord(requestRecord({ target: t.target, promptId: rec.id, scheduledMs, calledAt, result, check: verdict, rate: t.stages.length > 1 ? stage.rate : null }), stageIndex);
  };

  for (let w = 0; w < t.warmup && !t.signal.aborted; w++) await send(t.clock(), null, -1);

  for (const [index, stage] of t.stages.entries()) {
    if (t.signal.aborted) return;
    t.onStage?.(index);
    const start = t.clock();
    let started = 0;
    const more = (at: number): boolean => !t.signal.aborted && (stage.requests === null || started < stage.requests) && (stage.durationMs === null || at - start < stage.durationMs);
    if (stage.kind === 'closed') {
      const worker = async (): Promise<void> => {
        while (more(t.clock())) {
          started++;
          await send(t.clock(), stage, index);
        }
      };
      await Promise.all(Array.from({ length: stage.concurrency }, worker));
    } else {
      const inFlight = new Set<Promise<void>>();
      const arrivals = stage.arrivals();
      for (;;) {
        const offset = arrivals.next().value as number;
        if (!more(start + offset)) break;
        await sleepUntil(t.clock, start + offset, t.signal);
        if (t.signal.aborted) break;
        started++;
        const p = send(start + offset, stage, index).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await Promise.all(inFlight);
    }
  }
}
