/**
 * The store's background jobs on timers: flush closed head windows to chunks (every second),
 * roll each finished 10-minute period into the tier blocks and sketches (every minute; see
 * hour-rollup.ts), apply retention (every ten minutes, and once shortly after start). A failing run is logged and retried at its next tick; it never
 * throws into the event loop, and the intake keeps every acknowledged point meanwhile.
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { ChunkedStore } from './chunked-store.ts';
import { RetentionJob } from './retention-job.ts';

export interface StoreJobTimes {
  readonly flushMs: number;
  readonly hoursMs: number;
  readonly retentionMs: number;
}

const DEFAULT_TIMES: StoreJobTimes = { flushMs: 1_000, hoursMs: 60_000, retentionMs: 600_000 };

/** Starts the jobs; the returned stop() clears every timer (call before store.close()). */
export function startStoreJobs(store: ChunkedStore, log: Logger, times: StoreJobTimes = DEFAULT_TIMES): { stop(): void } {
  const retention = new RetentionJob(store.database, store.retention);
  const guarded = (name: string, fn: () => unknown) => (): void => {
    try {
      fn();
    } catch (err) {
      log.error(`store ${name} failed; retrying at the next tick`, { error: err });
    }
  };
  const timers = [
    setInterval(guarded('flush', () => store.flush()), times.flushMs),
    setInterval(guarded('period rollup', () => store.rollHours()), times.hoursMs),
    setInterval(guarded('retention', () => retention.run(Date.now())), times.retentionMs),
    setTimeout(guarded('retention', () => retention.run(Date.now())), Math.min(30_000, times.retentionMs)),
  ];
  for (const t of timers) t.unref();
  return {
    stop() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
