/**
 * Agents, their streams' last sequence numbers, and their events: the small tables beside the
 * samples. Methods that write are called inside the store's batch transaction. Last seqs are
 * also kept in memory, written through; after a rolled-back transaction `rolledBack` makes the
 * database the only truth again.
 */
import type { Statement } from 'better-sqlite3';
import type { AgentEvent } from '@sigmascope/protocol/events';
import type { SqliteDb } from '../schema/sqlite-db.ts';
import type { AgentInfo, StoredEvent } from '../store.ts';

export class AgentRows {
  private readonly db: SqliteDb;
  private readonly seqs = new Map<string, number>();
  /** Agents whose row is known to exist (committed): `counted` need not create it. */
  private readonly known = new Set<string>();
  private readonly s: Record<'lastSeq' | 'setSeq' | 'addEvent' | 'countAgent' | 'refused' | 'ensureAgent' | 'noteAgent' | 'agents' | 'events' | 'setState' | 'getEvent' | 'total', Statement>;

  constructor(db: SqliteDb) {
    this.db = db;
    this.s = {
      lastSeq: db.prepare('select last_seq from streams where agent_id = ? and stream = ?').pluck(),
      setSeq: db.prepare('insert into streams (agent_id, stream, last_seq) values (?, ?, ?) on conflict (agent_id, stream) do update set last_seq = excluded.last_seq'),
      addEvent: db.prepare('insert into events (agent_id, ts, kind, body) values (?, ?, ?, ?)'),
      countAgent: db.prepare('update agents set samples = samples + ?, last_seen = max(last_seen, ?) where id = ?'),
      refused: db.prepare('update agents set refused_samples = refused_samples + ? where id = ?'),
      ensureAgent: db.prepare('insert into agents (id, name, first_seen, last_seen) values (?, ?, ?, ?) on conflict (id) do nothing'),
      noteAgent: db.prepare(
        `insert into agents (id, name, hostname, version, boot_id, first_seen, last_seen, clock_skew_ms) values (?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set name = excluded.name, hostname = excluded.hostname, version = excluded.version,
           boot_id = excluded.boot_id, last_seen = excluded.last_seen, clock_skew_ms = excluded.clock_skew_ms`,
      ),
      agents: db.prepare('select a.*, coalesce((select max(last_seq) from streams s where s.agent_id = a.id), 0) as last_seq from agents a order by a.name'),
      events: db.prepare(
        `select id, agent_id, body, state from events where ts >= ? and ts <= ? and (? is null or agent_id = ?) and (? is null or kind = ?)
         order by ts desc, id desc limit ?`,
      ),
      // Only SPC violations have a state; probe failures and lifecycle events are facts.
      setState: db.prepare("update events set state = ? where id = ? and kind = 'spc'"),
      getEvent: db.prepare('select id, agent_id, body, state from events where id = ?'),
      total: db.prepare('select coalesce(sum(samples), 0) from agents').pluck(),
    };
  }

  lastSeq(agentId: string, stream: string): number {
    const key = `${agentId}\u0000${stream}`;
    let seq = this.seqs.get(key);
    if (seq === undefined) {
      seq = (this.s.lastSeq.get(agentId, stream) as number | undefined) ?? 0;
      this.seqs.set(key, seq);
    }
    return seq;
  }

  setLastSeq(agentId: string, stream: string, seq: number): void {
    this.s.setSeq.run(agentId, stream, seq);
    this.seqs.set(`${agentId}\u0000${stream}`, seq);
  }

  /** Call after a transaction that may have set seqs or created agent rows rolled back. */
  rolledBack(): void {
    this.seqs.clear();
    this.known.clear();
  }

  addEvents(agentId: string, events: readonly AgentEvent[]): void {
    for (const e of events) this.s.addEvent.run(agentId, e.ts, e.kind, JSON.stringify(e));
  }

  /** Adds stored samples to the agent's count (creating the row if the hello was not recorded). */
  counted(agentId: string, samples: number, receivedAt: number): void {
    if (!this.known.has(agentId)) {
      this.s.ensureAgent.run(agentId, agentId, receivedAt, receivedAt);
      this.known.add(agentId);
    }
    this.s.countAgent.run(samples, receivedAt, agentId);
  }

  /** Inside the caller's transaction (after `counted`): adds samples refused for their new series beyond the caps. */
  refused(agentId: string, samples: number): void {
    this.s.refused.run(samples, agentId);
  }

  totalSamples(): number {
    return this.s.total.get() as number;
  }

  noteAgent(a: { id: string; name: string; hostname: string; version: string; bootId: string; clockSkewMs: number; seenAt: number }): void {
    this.s.noteAgent.run(a.id, a.name, a.hostname, a.version, a.bootId, a.seenAt, a.seenAt, Math.round(a.clockSkewMs));
  }

  agents(): AgentInfo[] {
    return (this.s.agents.all() as Record<string, unknown>[]).map((r) => ({
      id: r.id as string, name: r.name as string, hostname: r.hostname as string, version: r.version as string, bootId: r.boot_id as string,
      firstSeen: r.first_seen as number, lastSeen: r.last_seen as number, clockSkewMs: r.clock_skew_ms as number,
      samples: r.samples as number, lastSeq: r.last_seq as number, quarantinedSamples: r.quarantined as number,
      refusedSamples: r.refused_samples as number, series: 0,
    }));
  }

  events(f: { from: number; to: number; agent?: string; kind?: AgentEvent['kind']; limit: number }): StoredEvent[] {
    const rows = this.s.events.all(f.from, f.to, f.agent ?? null, f.agent ?? null, f.kind ?? null, f.kind ?? null, f.limit) as { id: number; agent_id: string; body: string; state: StoredEvent['state'] }[];
    return rows.map((r) => ({ id: r.id, agent: r.agent_id, event: JSON.parse(r.body) as AgentEvent, state: r.state }));
  }

  setEventState(id: number, state: StoredEvent['state']): StoredEvent | null {
    if (this.s.setState.run(state, id).changes === 0) return null;
    const r = this.s.getEvent.get(id) as { id: number; agent_id: string; body: string; state: StoredEvent['state'] };
    return { id: r.id, agent: r.agent_id, event: JSON.parse(r.body) as AgentEvent, state: r.state };
  }
}
