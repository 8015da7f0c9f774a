/**
 * Series ids: (agent, series key) → id, kept in memory for every known series and indexed by
 * metric name for queries. New ids are created inside the caller's transaction and become
 * visible only through `adopt` after it committed (`abandon` after a rollback), so a rolled-back
 * batch leaves no trace here.
 */
import type { Statement } from 'better-sqlite3';
import { seriesKey } from '@sigmascope/protocol/series';
import type { Labels } from '@sigmascope/protocol/series';
import type { SqliteDb } from './schema/sqlite-db.ts';
import type { SeriesRef } from './store.ts';

export class SeriesRegistry {
  private readonly byKey = new Map<string, SeriesRef>();
  private readonly byName = new Map<string, SeriesRef[]>();
  private readonly byId = new Map<number, SeriesRef>();
  private readonly perAgent = new Map<string, number>();
  /** `named` lists as sorted, until a series of that name is added (lookups far outnumber new series). */
  private readonly sorted = new Map<string, readonly SeriesRef[]>();
  private readonly add: Statement;
  /** Fast path: the same (agent, name, labels as sent) seen before, without sorting labels. */
  private readonly asSent = new Map<string, SeriesRef>();
  /** Series created by the open transaction, by agent and key, until adopt or abandon. */
  private readonly pending = new Map<string, SeriesRef>();

  constructor(db: SqliteDb) {
    this.add = db.prepare('insert into series (agent_id, name, labels, key) values (?, ?, ?, ?)');
    const rows = db.prepare('select id, agent_id, name, labels from series order by id').all() as { id: number; agent_id: string; name: string; labels: string }[];
    for (const r of rows) this.index({ id: r.id, agent: r.agent_id, name: r.name, labels: JSON.parse(r.labels) as Labels });
  }

  private index(ref: SeriesRef): void {
    this.byKey.set(`${ref.agent}\u0000${seriesKey(ref.name, ref.labels)}`, ref);
    this.byId.set(ref.id, ref);
    this.perAgent.set(ref.agent, (this.perAgent.get(ref.agent) ?? 0) + 1);
    const list = this.byName.get(ref.name);
    if (list === undefined) this.byName.set(ref.name, [ref]);
    else list.push(ref);
    this.sorted.delete(ref.name);
  }

  /**
   * The id of (agent, name, labels); inserts the row when new and appends it to `created`.
   * Call inside a transaction; `adopt(created)` after the commit.
   */
  resolve(agent: string, name: string, labels: Labels, created: SeriesRef[]): number {
    const sent = `${agent}\u0000${name}\u0000${JSON.stringify(labels)}`;
    const fast = this.asSent.get(sent);
    if (fast !== undefined) return fast.id;
    const key = seriesKey(name, labels);
    const agentKey = `${agent}\u0000${key}`;
    const known = this.byKey.get(agentKey);
    if (known !== undefined) {
      if (this.asSent.size < 1_000_000) this.asSent.set(sent, known);
      return known.id;
    }
    const pending = this.pending.get(agentKey);
    if (pending !== undefined) return pending.id;
    const id = Number(this.add.run(agent, name, JSON.stringify(labels), key).lastInsertRowid);
    const ref = { id, agent, name, labels: { ...labels } };
    created.push(ref);
    this.pending.set(agentKey, ref);
    return id;
  }

  /** Makes committed new series visible. */
  adopt(created: readonly SeriesRef[]): void {
    for (const ref of created) this.index(ref);
    this.pending.clear();
  }

  /** Forgets the series of a transaction that rolled back (their ids may be handed out again). */
  abandon(): void {
    this.pending.clear();
  }

  /** Committed series of `agent`, or of every agent. */
  count(agent?: string): number {
    return agent === undefined ? this.byId.size : this.perAgent.get(agent) ?? 0;
  }

  /** True when (agent, name, labels) is a committed series. */
  has(agent: string, name: string, labels: Labels): boolean {
    if (this.asSent.has(`${agent}\u0000${name}\u0000${JSON.stringify(labels)}`)) return true;
    return this.byKey.has(`${agent}\u0000${seriesKey(name, labels)}`);
  }

  get(id: number): SeriesRef | undefined {
    return this.byId.get(id);
  }

  /** Series of a metric, ordered by agent then key. */
  named(name: string): readonly SeriesRef[] {
    const hit = this.sorted.get(name);
    if (hit !== undefined) return hit;
    const list = this.byName.get(name) ?? [];
    const sorted = [...list].sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : seriesKey(a.name, a.labels) < seriesKey(b.name, b.labels) ? -1 : 1));
    this.sorted.set(name, sorted);
    return sorted;
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
