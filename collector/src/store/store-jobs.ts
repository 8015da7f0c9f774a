/**
 * The store's background jobs on timers: flush closed head windows to chunks (every second),
 * roll each finished 10-minute period into the tier blocks and sketches (every minute; see
 * period-rollup.ts), apply retention (every ten minutes, and once shortly after start).
 *
 * The flush and the rollup run in slices (`ChunkedStore.flushSlice`, `rollSlice`: a bounded set
 * of series, one transaction each) with `setImmediate` between them, so ingest commits, acks and
 * API reads interleave with a minute of 50,000 series instead of waiting for all of it:
 *
 *   tick ─▶ slice ─ setImmediate ─▶ (socket reads, commits, acks, queries) ─▶ slice ─▶ … done
 *
 * A tick that finds its job still running starts nothing. A failing slice is logged and retried
 * at the job's next tick; it never throws into the event loop, and the intake keeps every
 * acknowledged point meanwhile.
 */
import type { Logger } from '@sigmascope/protocol/log';
import { DEFAULT_SLICE } from './chunked-store.ts';
import type { ChunkedStore, SliceBounds, SliceResult } from './chunked-store.ts';
import { RetentionJob } from './retention/retention-job.ts';

export interface StoreJobTimes {
  readonly flushMs: number;
  readonly hoursMs: number;
  readonly retentionMs: number;
  /** Bounds of one flush or rollup slice. */
  readonly slice?: SliceBounds;
}

const DEFAULT_TIMES: StoreJobTimes = { flushMs: 1_000, hoursMs: 60_000, retentionMs: 600_000 };

/** The jobs' periods for a data clock `rate` times the system's (protocol/src/clock.ts): each as often in the data's time. */
export function storeJobTimes(rate = 1): StoreJobTimes {
  if (rate === 1) return DEFAULT_TIMES;
  return { flushMs: Math.max(100, DEFAULT_TIMES.flushMs / rate), hoursMs: DEFAULT_TIMES.hoursMs / rate, retentionMs: DEFAULT_TIMES.retentionMs / rate };
}

/**
 * Starts the jobs; the returned stop() clears every timer and pending slice (call before
 * store.close()). `now` is the data's clock retention cuts by.
 */
export function startStoreJobs(store: ChunkedStore, log: Logger, times: StoreJobTimes = DEFAULT_TIMES, now: () => number = Date.now): { stop(): void } {
  const retention = new RetentionJob(store.database, store.retention);
  const bounds = times.slice ?? DEFAULT_SLICE;
  let stopped = false;
  const pending = new Set<NodeJS.Immediate>();
  const guarded = (name: string, fn: () => unknown) => (): void => {
    try {
      fn();
    } catch (err) {
      log.error(`store ${name} failed; retrying at the next tick`, { error: err });
    }
  };
  /** A tick of a sliced job: runs its slices one per turn of the event loop until it is done. */
  const sliced = (name: string, step: () => SliceResult): (() => void) => {
    let running = false;
    const next = (): void => {
      if (stopped) return;
      let r: SliceResult;
      try {
        r = step();
      } catch (err) {
        running = false;
        log.error(`store ${name} failed; retrying at the next tick`, { error: err });
        return;
      }
      if (r.done) {
        running = false;
        return;
      }
      const im = setImmediate(() => {
        pending.delete(im);
        next();
      });
      pending.add(im);
    };
    return () => {
      if (running || stopped) return;
      running = true;
      next();
    };
  };
  const timers = [
    setInterval(sliced('flush', () => store.flushSlice(bounds)), times.flushMs),
    setInterval(sliced('period rollup', () => store.rollSlice(bounds)), times.hoursMs),
    setInterval(guarded('retention', () => retention.run(now())), times.retentionMs),
    setTimeout(guarded('retention', () => retention.run(now())), Math.min(30_000, times.retentionMs)),
  ];
  for (const t of timers) t.unref();
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const im of pending) clearImmediate(im);
      pending.clear();
    },
  };
}
