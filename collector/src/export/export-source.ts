/**
 * Where an export stream reads: the store's intake log (every acknowledged sample in commit
 * order, see ChunkedStore.intakeAfter) turned into ExportBatches with each series' agent and
 * host. The host names come from the agents' rows, looked up again when an agent is new.
 */
import type { ChunkedStore } from '../store/chunked-store.ts';
import { concatPoints } from '../store/store.ts';
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

/** Intake records read per query. */
const PAGE = 16;

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
    const bySeries = new Map<number, Part[]>();
    let samples = 0;
    let expired = 0;
    let lastId = afterId;
    let records = 0;
    const corrupt: string[] = [];
    // Records are read a page at a time: a batch needs a few of them.
    while (samples < maxSamples && records < maxRecords) {
      const entries = this.store.intakeAfter(lastId, Math.min(PAGE, maxRecords - records));
      if (entries.length === 0) break;
      for (const e of entries) {
        if (samples >= maxSamples) break;
        lastId = e.id;
        records++;
        const d = e.decode();
        if (d.corrupt !== undefined) corrupt.push(`record ${e.id}: ${d.corrupt}`);
        for (const p of d.series) {
          const part = keptPart(p.ts, p.values, expiredBefore);
          expired += p.ts.length - part.ts.length;
          if (part.ts.length === 0) continue;
          samples += part.ts.length;
          const parts = bySeries.get(p.seriesId);
          if (parts === undefined) bySeries.set(p.seriesId, [part]);
          else parts.push(part);
        }
      }
    }
    if (records === 0) return null;
    const series: ExportSeries[] = [];
    for (const [id, parts] of bySeries) {
      const ref = this.store.seriesRef(id);
      if (ref === undefined) continue;
      const { ts, values } = sortedByTs(parts);
      series.push({ seriesId: id, agent: ref.agent, host: this.hostOf(ref.agent), name: ref.name, labels: ref.labels, ts, values });
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

interface Part {
  readonly ts: Float64Array;
  readonly values: Float64Array;
}

/** The points stamped at or after `expiredBefore` (the arrays themselves when none is older). */
function keptPart(ts: Float64Array, values: Float64Array, expiredBefore: number): Part {
  let old = 0;
  for (let i = 0; i < ts.length; i++) if ((ts[i] as number) < expiredBefore) old++;
  if (old === 0) return { ts, values };
  const keepTs = new Float64Array(ts.length - old);
  const keepValues = new Float64Array(ts.length - old);
  for (let i = 0, k = 0; i < ts.length; i++) {
    if ((ts[i] as number) < expiredBefore) continue;
    keepTs[k] = ts[i] as number;
    keepValues[k++] = values[i] as number;
  }
  return { ts: keepTs, values: keepValues };
}

/** One series' parts as one run ascending by ts: they arrive in order almost always, so sort (stably) only when they did not. */
function sortedByTs(parts: readonly Part[]): Part {
  const joined = concatPoints(parts);
  const { ts, values } = joined;
  let sorted = true;
  for (let i = 1; i < ts.length && sorted; i++) sorted = (ts[i - 1] as number) <= (ts[i] as number);
  if (sorted) return joined;
  const idx = Array.from(ts, (_, i) => i).sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b);
  return { ts: Float64Array.from(idx, (i) => ts[i] as number), values: Float64Array.from(idx, (i) => values[i] as number) };
}
