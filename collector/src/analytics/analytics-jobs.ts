/**
 * The collector's anomaly scan on a timer: every few seconds it checks whether a minute has
 * closed, and scans it in slices with `setImmediate` between them, so ingest commits, acks and
 * queries interleave (the store's jobs do the same, store-jobs.ts); once an hour it prunes rows
 * past the 1-minute tier's retention. A failing slice is logged and the scan tried again at the
 * next tick; nothing throws into the event loop.
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { AnomalyScan } from './anomaly-scan.ts';

export function startAnalyticsJobs(scan: AnomalyScan, log: Logger, tickMs = 5_000): { stop(): void } {
  let stopped = false;
  let running = false;
  let pending: NodeJS.Immediate | null = null;
  const slice = (): void => {
    pending = null;
    if (stopped) return;
    try {
      const r = scan.step(Date.now());
      if (!r.done) {
        pending = setImmediate(slice);
        return;
      }
    } catch (err) {
      log.error('anomaly scan failed; retrying at the next tick', { error: err });
    }
    running = false;
  };
  const tick = setInterval(() => {
    if (running || stopped) return;
    running = true;
    slice();
  }, tickMs);
  const prune = setInterval(() => {
    try {
      scan.prune(Date.now());
    } catch (err) {
      log.error('anomaly prune failed', { error: err });
    }
  }, 3_600_000);
  tick.unref();
  prune.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(tick);
      clearInterval(prune);
      if (pending !== null) clearImmediate(pending);
    },
  };
}
