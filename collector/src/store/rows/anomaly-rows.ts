/**
 * The collector scan's anomalies (schema/features/anomalies.ts): one row per episode, written by
 * the scan in its own small transactions, read by the API with their series' names and labels.
 */
import type { Statement } from 'better-sqlite3';
import type { Labels } from '@sigmascope/protocol/series';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** One stored anomaly. */
export interface AnomalyRow {
  readonly id: number;
  readonly agent: string;
  readonly seriesId: number;
  readonly name: string;
  readonly labels: Labels;
  readonly ts: number;
  readonly value: number;
  readonly baseline: number;
  readonly scale: number;
  readonly score: number;
}

/** What the scan records. */
export interface NewAnomaly {
  readonly agent: string;
  readonly seriesId: number;
  readonly ts: number;
  readonly value: number;
  readonly baseline: number;
  readonly scale: number;
  readonly score: number;
}

export class AnomalyRows {
  private readonly add: (rows: readonly NewAnomaly[]) => void;
  private readonly s: Record<'insert' | 'list' | 'prune', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      insert: db.prepare('insert into anomalies (agent_id, series_id, ts, value, baseline, scale, score) values (?, ?, ?, ?, ?, ?, ?)'),
      list: db.prepare(
        `select a.id, a.agent_id, a.series_id, s.name, s.labels, a.ts, a.value, a.baseline, a.scale, a.score
         from anomalies a join series s on s.id = a.series_id
         where a.ts >= ? and a.ts <= ? and (? is null or a.agent_id = ?) and (? is null or s.name = ?)
         order by a.ts desc, a.id desc limit ?`,
      ),
      prune: db.prepare('delete from anomalies where ts < ?'),
    };
    this.add = db.transaction((rows: readonly NewAnomaly[]) => {
      for (const r of rows) this.s.insert.run(r.agent, r.seriesId, r.ts, r.value, r.baseline, r.scale, r.score);
    });
  }

  /** Records anomalies in one transaction. */
  record(rows: readonly NewAnomaly[]): void {
    if (rows.length > 0) this.add(rows);
  }

  /** Newest first, within [from, to], optionally one agent's or one metric's; at most `limit`. */
  list(f: { from: number; to: number; agent?: string; name?: string; limit: number }): AnomalyRow[] {
    const rows = this.s.list.all(f.from, f.to, f.agent ?? null, f.agent ?? null, f.name ?? null, f.name ?? null, f.limit) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number, agent: r.agent_id as string, seriesId: r.series_id as number, name: r.name as string, labels: JSON.parse(r.labels as string) as Labels,
      ts: r.ts as number, value: r.value as number, baseline: r.baseline as number, scale: r.scale as number, score: r.score as number,
    }));
  }

  /** Deletes anomalies older than `cutoff` (ms); returns how many. */
  prune(cutoff: number): number {
    return this.s.prune.run(cutoff).changes;
  }
}
