/**
 * Where an export stream reads: the store's intake log (every acknowledged sample in commit
 * order, see ChunkedStore.intakeAfter) turned into ExportBatches with each series' agent and
 * host. The host names come from the agents' rows, looked up again when an agent is new.
 */
import type { ChunkedStore } from '../store/chunked-store.ts';
import type { ExportSeries } from './export-batch.ts';

/** A run of intake records as one batch: the last record's id, the series, the samples left out as expired. */
export interface SourceBatch {
  readonly lastId: number;
  readonly series: ExportSeries[];
  readonly samples: number;
  readonly expired: number;
  /** Records that did not decode (their samples cannot be counted), with the reasons. */
  readonly corrupt: readonly string[];
}

export class ExportSource {
  private readonly store: ChunkedStore;
  private readonly hosts = new Map<string, string>();

  constructor(store: ChunkedStore) {
    this.store = store;
  }

  /** The newest intake id (a new cursor starts there). */
  tail(): number {
    return this.store.intakeTail();
  }

  /**
   * Reads records after `afterId` until about `maxSamples` samples (whole records: at least one),
   * at most `maxRecords` of them, and groups their points by series, ascending by ts. Samples
   * stamped before `expiredBefore` are left out and counted (the local store no longer keeps
   * them either); null when no record follows `afterId`.
   */
  read(afterId: number, maxSamples: number, maxRecords: number, expiredBefore: number): SourceBatch | null {
    const entries = this.store.intakeAfter(afterId, maxRecords);
    if (entries.length === 0) return null;
    const bySeries = new Map<number, { ts: number[]; values: number[] }>();
    let samples = 0;
    let expired = 0;
    let lastId = afterId;
    const corrupt: string[] = [];
    for (const e of entries) {
      if (samples >= maxSamples) break;
      lastId = e.id;
      if (e.corrupt !== undefined) corrupt.push(`record ${e.id}: ${e.corrupt}`);
      for (const p of e.series) {
        let acc = bySeries.get(p.seriesId);
        if (acc === undefined) bySeries.set(p.seriesId, (acc = { ts: [], values: [] }));
        for (let i = 0; i < p.ts.length; i++) {
          const t = p.ts[i] as number;
          if (t < expiredBefore) {
            expired++;
            continue;
          }
          acc.ts.push(t);
          acc.values.push(p.values[i] as number);
          samples++;
        }
      }
    }
    const series: ExportSeries[] = [];
    for (const [id, acc] of bySeries) {
      if (acc.ts.length === 0) continue;
      const ref = this.store.seriesRef(id);
      if (ref === undefined) continue;
      sortByTs(acc);
      series.push({ agent: ref.agent, host: this.hostOf(ref.agent), name: ref.name, labels: ref.labels, ts: acc.ts, values: acc.values });
    }
    return { lastId, series, samples, expired, corrupt };
  }

  /** Lets the store delete flushed records no cursor needs any more. */
  release(): void {
    this.store.releaseIntake();
  }

  private hostOf(agent: string): string {
    let h = this.hosts.get(agent);
    if (h === undefined) {
      for (const a of this.store.agents()) this.hosts.set(a.id, a.hostname);
      h = this.hosts.get(agent) ?? '';
      this.hosts.set(agent, h);
    }
    return h;
  }
}

/** Records of one series arrive in ts order almost always: sort (stably) only when they did not. */
function sortByTs(acc: { ts: number[]; values: number[] }): void {
  let sorted = true;
  for (let i = 1; i < acc.ts.length && sorted; i++) sorted = (acc.ts[i - 1] as number) <= (acc.ts[i] as number);
  if (sorted) return;
  const idx = acc.ts.map((_, i) => i).sort((a, b) => (acc.ts[a] as number) - (acc.ts[b] as number) || a - b);
  acc.ts = idx.map((i) => acc.ts[i] as number);
  acc.values = idx.map((i) => acc.values[i] as number);
}
