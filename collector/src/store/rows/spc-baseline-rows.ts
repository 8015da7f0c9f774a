/**
 * Rows of the spc-baselines feature (schema/features/spc-baselines.ts): a re-baseline of one
 * agent's series from a time on, and the latest one of a series.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** A re-baseline as stored: the chart of `series` on `agent` takes its limits from `fromTs` on. */
export interface SpcBaseline {
  readonly id: number;
  readonly agent: string;
  readonly series: string;
  readonly fromTs: number;
  readonly createdAt: number;
  readonly actor: string;
}

export class SpcBaselineRows {
  private readonly s: Record<'add' | 'latest' | 'latestOfAgent', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      add: db.prepare('insert into spc_baselines (agent_id, series, from_ts, created_at, actor) values (?, ?, ?, ?, ?)'),
      latest: db.prepare('select id, agent_id, series, from_ts, created_at, actor from spc_baselines where agent_id = ? and series = ? order by id desc limit 1'),
      // The newest re-baseline of each series of one agent (max(id) per series), newest first.
      latestOfAgent: db.prepare(
        `select id, agent_id, series, from_ts, created_at, actor from spc_baselines
         where id in (select max(id) from spc_baselines where agent_id = ? group by series) order by id desc limit ?`,
      ),
    };
  }

  /** Records a re-baseline; returns it. */
  add(agent: string, series: string, fromTs: number, actor: string, now: number = Date.now()): SpcBaseline {
    const id = Number(this.s.add.run(agent, series, fromTs, now, actor).lastInsertRowid);
    return { id, agent, series, fromTs, createdAt: now, actor };
  }

  /** The latest re-baseline of each of one agent's series, newest first, at most `limit`. */
  latestOfAgent(agent: string, limit: number): SpcBaseline[] {
    const rows = this.s.latestOfAgent.all(agent, limit) as { id: number; agent_id: string; series: string; from_ts: number; created_at: number; actor: string }[];
    return rows.map((r) => ({ id: r.id, agent: r.agent_id, series: r.series, fromTs: r.from_ts, createdAt: r.created_at, actor: r.actor }));
  }

  /** The latest re-baseline of one agent's series, or null. */
  latest(agent: string, series: string): SpcBaseline | null {
    const r = this.s.latest.get(agent, series) as { id: number; agent_id: string; series: string; from_ts: number; created_at: number; actor: string } | undefined;
    return r === undefined ? null : { id: r.id, agent: r.agent_id, series: r.series, fromTs: r.from_ts, createdAt: r.created_at, actor: r.actor };
  }
}
