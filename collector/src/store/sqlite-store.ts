/**
 * Store on SQLite, one row per sample (the layout the storage issue replaces with chunks; the
 * Store contract stays). Series ids are cached in memory; a batch is one transaction.
 */
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { BatchSeries } from '@sigmascope/protocol/batch';
import { seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import type { SqliteDb } from './sqlite-db.ts';
import type { AgentInfo, SeriesQuery, SeriesResult, Store, StoreOutcome, StoredEvent } from './store.ts';

export class SqliteStore implements Store {
  private readonly db: SqliteDb;
  private readonly seriesIds = new Map<string, number>();
  private readonly stmt;
  private readonly storeTxn: (agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number) => StoreOutcome;
  private total: number;

  constructor(db: SqliteDb) {
    this.db = db;
    this.stmt = {
      lastSeq: db.prepare('select last_seq from streams where agent_id = ? and stream = ?').pluck(),
      setSeq: db.prepare('insert into streams (agent_id, stream, last_seq) values (?, ?, ?) on conflict (agent_id, stream) do update set last_seq = excluded.last_seq'),
      findSeries: db.prepare('select id from series where agent_id = ? and key = ?').pluck(),
      addSeries: db.prepare('insert into series (agent_id, name, labels, key) values (?, ?, ?, ?)'),
      addSample: db.prepare('insert into samples (series_id, ts, value) values (?, ?, ?)'),
      addEvent: db.prepare('insert into events (agent_id, ts, kind, body) values (?, ?, ?, ?)'),
      countAgent: db.prepare('update agents set samples = samples + ?, last_seen = max(last_seen, ?) where id = ?'),
      ensureAgent: db.prepare("insert into agents (id, name, first_seen, last_seen) values (?, ?, ?, ?) on conflict (id) do nothing"),
    };
    this.total = (db.prepare('select coalesce(sum(samples), 0) from agents').pluck().get() as number) ?? 0;
    this.storeTxn = db.transaction((agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number): StoreOutcome => {
      const last = (this.stmt.lastSeq.get(agentId, stream) as number | undefined) ?? 0;
      if (seq <= last) return 'duplicate';
      let count = 0;
      for (const s of series) {
        const id = this.seriesId(agentId, s.name, s.labels);
        for (let i = 0; i < s.ts.length; i++) this.stmt.addSample.run(id, s.ts[i], s.values[i]);
        count += s.ts.length;
      }
      for (const e of events) this.stmt.addEvent.run(agentId, e.ts, e.kind, JSON.stringify(e));
      this.stmt.ensureAgent.run(agentId, agentId, receivedAt, receivedAt);
      this.stmt.countAgent.run(count, receivedAt, agentId);
      this.stmt.setSeq.run(agentId, stream, seq);
      return 'stored';
    });
  }

  private seriesId(agentId: string, name: string, labels: Labels): number {
    const key = seriesKey(name, labels);
    const cacheKey = `${agentId}\u0000${key}`;
    let id = this.seriesIds.get(cacheKey);
    if (id === undefined) {
      id = this.stmt.findSeries.get(agentId, key) as number | undefined;
      if (id === undefined) id = Number(this.stmt.addSeries.run(agentId, name, JSON.stringify(labels), key).lastInsertRowid);
      this.seriesIds.set(cacheKey, id);
    }
    return id;
  }

  lastSeq(agentId: string, stream: string): number {
    return (this.stmt.lastSeq.get(agentId, stream) as number | undefined) ?? 0;
  }

  storeBatch(agentId: string, stream: string, seq: number, series: readonly BatchSeries[], events: readonly AgentEvent[], receivedAt: number): StoreOutcome {
    try {
      const outcome = this.storeTxn(agentId, stream, seq, series, events, receivedAt);
      if (outcome === 'stored') for (const s of series) this.total += s.ts.length;
      return outcome;
    } catch (err) {
      // A rolled-back transaction may have cached series ids that were never committed.
      this.seriesIds.clear();
      throw err;
    }
  }

  noteAgent(a: { id: string; name: string; hostname: string; version: string; bootId: string; clockSkewMs: number; seenAt: number }): void {
    this.db
      .prepare(
        `insert into agents (id, name, hostname, version, boot_id, first_seen, last_seen, clock_skew_ms) values (?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set name = excluded.name, hostname = excluded.hostname, version = excluded.version,
           boot_id = excluded.boot_id, last_seen = excluded.last_seen, clock_skew_ms = excluded.clock_skew_ms`,
      )
      .run(a.id, a.name, a.hostname, a.version, a.bootId, a.seenAt, a.seenAt, Math.round(a.clockSkewMs));
  }

  agents(): AgentInfo[] {
    const rows = this.db
      .prepare(
        `select a.*, coalesce((select max(last_seq) from streams s where s.agent_id = a.id), 0) as last_seq
         from agents a order by a.name`,
      )
      .all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string, name: r.name as string, hostname: r.hostname as string, version: r.version as string, bootId: r.boot_id as string,
      firstSeen: r.first_seen as number, lastSeen: r.last_seen as number, clockSkewMs: r.clock_skew_ms as number,
      samples: r.samples as number, lastSeq: r.last_seq as number,
    }));
  }

  series(q: SeriesQuery): SeriesResult[] {
    const candidates = (
      q.agent === undefined
        ? this.db.prepare('select id, agent_id, name, labels from series where name = ? order by agent_id, key').all(q.name)
        : this.db.prepare('select id, agent_id, name, labels from series where name = ? and agent_id = ? order by key').all(q.name, q.agent)
    ) as { id: number; agent_id: string; name: string; labels: string }[];
    const points =
      q.stepMs === undefined
        ? this.db.prepare('select ts, value from (select ts, value from samples where series_id = ? and ts >= ? and ts <= ? order by ts desc limit ?) order by ts').raw()
        : this.db
            .prepare(`select t, v from (select (ts / ${Math.floor(q.stepMs)}) * ${Math.floor(q.stepMs)} as t, avg(value) as v from samples where series_id = ? and ts >= ? and ts <= ? group by t order by t desc limit ?) order by t`)
            .raw();
    const out: SeriesResult[] = [];
    for (const c of candidates) {
      const labels = JSON.parse(c.labels) as Record<string, string>;
      if (!Object.entries(q.labels).every(([k, v]) => labels[k] === v)) continue;
      if (out.length >= q.maxSeries) break;
      out.push({ agent: c.agent_id, name: c.name, labels, points: points.all(c.id, q.from, q.to, q.maxPoints) as [number, number][] });
    }
    return out;
  }

  events(f: { from: number; to: number; agent?: string; kind?: AgentEvent['kind']; limit: number }): StoredEvent[] {
    const rows = this.db
      .prepare(
        `select id, agent_id, body, state from events where ts >= ? and ts <= ? and (? is null or agent_id = ?) and (? is null or kind = ?)
         order by ts desc, id desc limit ?`,
      )
      .all(f.from, f.to, f.agent ?? null, f.agent ?? null, f.kind ?? null, f.kind ?? null, f.limit) as { id: number; agent_id: string; body: string; state: StoredEvent['state'] }[];
    return rows.map((r) => ({ id: r.id, agent: r.agent_id, event: JSON.parse(r.body) as AgentEvent, state: r.state }));
  }

  setEventState(id: number, state: StoredEvent['state']): StoredEvent | null {
    const changed = this.db.prepare('update events set state = ? where id = ?').run(state, id).changes;
    if (changed === 0) return null;
    const r = this.db.prepare('select id, agent_id, body, state from events where id = ?').get(id) as { id: number; agent_id: string; body: string; state: StoredEvent['state'] };
    return { id: r.id, agent: r.agent_id, event: JSON.parse(r.body) as AgentEvent, state: r.state };
  }

  sampleCount(): number {
    return this.total;
  }

  duplicateRowCount(): number {
    return this.db.prepare('select coalesce(sum(c - 1), 0) from (select count(*) as c from samples group by series_id, ts, value having c > 1)').pluck().get() as number;
  }

  close(): void {
    this.db.close();
  }
}
