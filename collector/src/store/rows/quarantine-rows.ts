/**
 * The quarantine: samples acknowledged but set apart because their timestamps lie far in the
 * collector's future (collector/src/ingest/future-samples.ts). Every one is counted in its agent's
 * row (`agents.quarantined`); the first MAX_ROWS_PER_AGENT of each agent are also kept as rows,
 * so that a clock a year ahead at 200 samples a second shows what it sent without filling the
 * disk. Rows go with the raw retention, by arrival (retention-job.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';
import type { FutureSample, QuarantinedSample } from '../store.ts';
import type { Labels } from '@sigmascope/protocol/series';

export const MAX_ROWS_PER_AGENT = 10_000;

export class QuarantineRows {
  private readonly s: Record<'add' | 'count' | 'rows' | 'list' | 'listAgent', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      add: db.prepare('insert into quarantine (agent_id, received_at, ts, name, labels, value) values (?, ?, ?, ?, ?, ?)'),
      count: db.prepare('update agents set quarantined = quarantined + ? where id = ?'),
      rows: db.prepare('select count(*) from quarantine where agent_id = ?').pluck(),
      list: db.prepare('select agent_id, received_at, ts, name, labels, value from quarantine order by id desc limit ?').raw(),
      listAgent: db.prepare('select agent_id, received_at, ts, name, labels, value from quarantine where agent_id = ? order by id desc limit ?').raw(),
    };
  }

  /** Inside the caller's transaction (the agent's row exists): counts `samples` and keeps rows up to the cap. */
  add(agentId: string, receivedAt: number, samples: readonly FutureSample[]): void {
    this.s.count.run(samples.length, agentId);
    // Counted in the transaction itself, which sees its own rows: rare (a frame from a wrong clock), and never stale.
    let rows = this.s.rows.get(agentId) as number;
    for (const q of samples) {
      if (rows >= MAX_ROWS_PER_AGENT) break;
      this.s.add.run(agentId, receivedAt, q.ts, q.name, JSON.stringify(q.labels), q.value);
      rows++;
    }
  }

  list(filter: { agent?: string; limit: number }): QuarantinedSample[] {
    const rows = (filter.agent === undefined ? this.s.list.all(filter.limit) : this.s.listAgent.all(filter.agent, filter.limit)) as [string, number, number, string, string, number][];
    return rows.map(([agent, receivedAt, ts, name, labels, value]) => ({ agent, receivedAt, ts, name, labels: JSON.parse(labels) as Labels, value }));
  }
}
