/**
 * The simulated fleet written straight into a real ChunkedStore on a virtual clock, second by
 * second, as the ingest path would store it (one batch per host and second, the store's flush
 * every second): for component tests of the detector and for fast what-if runs. The collector
 * tests and the accuracy figure use the fleet over real sockets instead (fleet-sim.ts).
 */
import type { BatchSeries } from '@sigmascope/protocol/batch';
import type { Series } from '@sigmascope/protocol/series';
import type { ChunkedStore } from '../../../collector/src/store/chunked-store.ts';
import { SimHostModel } from './fleet-model.ts';
import type { SimHost } from './fleet-model.ts';
import type { Fault } from './faults.ts';

/** Collects emitted samples into one batch's series. */
export class BatchCollector {
  private readonly bySeries = new Map<string, { s: Series; ts: number[]; values: number[] }>();
  readonly emit = (s: Series, ts: number, value: number): void => {
    let c = this.bySeries.get(s.key);
    if (c === undefined) this.bySeries.set(s.key, (c = { s, ts: [], values: [] }));
    c.ts.push(ts);
    c.values.push(value);
  };

  /** The batch so far, and starts empty again. */
  take(): BatchSeries[] {
    const out = [...this.bySeries.values()].map((c) => ({ name: c.s.name, labels: c.s.labels, ts: Float64Array.from(c.ts), values: Float64Array.from(c.values) }));
    this.bySeries.clear();
    return out;
  }
}

export interface StoreReplay {
  /** Stores every host's samples up to `to` (ms), a second at a time, calling `each(now)` after every second. */
  runUntil(to: number, each?: (now: number) => void): void;
  readonly now: number;
}

/** Starts at `from` (the first second only positions the hosts). `clock` is what the store's clock reads. */
export function storeReplay(store: ChunkedStore, hosts: readonly SimHost[], faults: () => readonly Fault[], from: number, clock: { now: number }): StoreReplay {
  const models = hosts.map((h) => new SimHostModel(h, faults));
  const seqs = hosts.map(() => 0);
  const collector = new BatchCollector();
  let now = from;
  clock.now = now;
  for (const m of models) m.advance(now, collector.emit);
  collector.take();
  return {
    get now() {
      return now;
    },
    runUntil(to, each) {
      while (now + 1000 <= to) {
        now += 1000;
        clock.now = now;
        models.forEach((m, i) => {
          m.advance(now, collector.emit);
          const batch = collector.take();
          if (batch.length > 0) store.storeBatch(m.spec.id, 'main', (seqs[i] = (seqs[i] as number) + 1), batch, [], now);
        });
        store.flush();
        each?.(now);
      }
    },
  };
}
