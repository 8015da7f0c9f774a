/**
 * Rows of the `alerts` table (features/alerts.ts). The alert engine is the only writer; it calls
 * these inside its evaluation transaction (see `transaction`), so an alert's change, its
 * notifications and its audit entry commit together or not at all.
 */
import type { Statement } from 'better-sqlite3';
import type { Incident } from '@sigmascope/protocol/incident';
import type { Alert, AlertState } from '../../alerts/alert.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

interface AlertRow {
  id: string; rule: string; group_key: string; labels: string; summary: string; state: AlertState; starts_at: number; ends_at: number | null;
  members: string; incident: string | null; notified: number; last_notified_at: number | null; acknowledged_by: string | null; acknowledged_at: number | null; ack_note: string | null;
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id, rule: r.rule, groupKey: r.group_key, labels: JSON.parse(r.labels) as Record<string, string>, summary: r.summary, state: r.state,
    startsAt: r.starts_at, endsAt: r.ends_at, members: JSON.parse(r.members) as string[], incident: r.incident === null ? null : (JSON.parse(r.incident) as Incident),
    notified: r.notified === 1, lastNotifiedAt: r.last_notified_at,
    acknowledged: r.acknowledged_by === null || r.acknowledged_at === null ? null : { by: r.acknowledged_by, at: r.acknowledged_at, note: r.ack_note },
  };
}

export class AlertRows {
  private readonly db: SqliteDb;
  private readonly s: Record<'insert' | 'update' | 'firing' | 'get' | 'list' | 'ack', Statement>;

  constructor(db: SqliteDb) {
    this.db = db;
    this.s = {
      insert: db.prepare(`insert into alerts (id, rule, group_key, labels, summary, state, starts_at, ends_at, members, incident, notified, last_notified_at)
        values (@id, @rule, @groupKey, @labels, @summary, @state, @startsAt, @endsAt, @members, @incident, @notified, @lastNotifiedAt)`),
      update: db.prepare(`update alerts set labels = @labels, summary = @summary, state = @state, ends_at = @endsAt, members = @members, incident = @incident,
        notified = @notified, last_notified_at = @lastNotifiedAt where id = @id`),
      firing: db.prepare("select * from alerts where state = 'firing' order by starts_at"),
      get: db.prepare('select * from alerts where id = ?'),
      list: db.prepare("select * from alerts where (@state = 'all' or state = @state) and coalesce(ends_at, @now) >= @from and starts_at <= @to order by starts_at desc, id limit @limit"),
      ack: db.prepare('update alerts set acknowledged_by = ?, acknowledged_at = ?, ack_note = ? where id = ?'),
    };
  }

  /** Runs `fn` in one transaction (nested calls join it). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insert(a: Alert): void {
    this.s.insert.run(params(a));
  }

  /** Writes the alert's mutable fields (state, labels, summary, members, notification marks). */
  update(a: Alert): void {
    this.s.update.run(params(a));
  }

  firing(): Alert[] {
    return (this.s.firing.all() as AlertRow[]).map(toAlert);
  }

  get(id: string): Alert | null {
    const r = this.s.get.get(id) as AlertRow | undefined;
    return r === undefined ? null : toAlert(r);
  }

  /** Alerts overlapping [from, to], newest start first. */
  list(filter: { state: AlertState | 'all'; from: number; to: number; limit: number; now: number }): Alert[] {
    return (this.s.list.all(filter) as AlertRow[]).map(toAlert);
  }

  acknowledge(id: string, by: string, at: number, note: string | null): void {
    this.s.ack.run(by, at, note, id);
  }
}

function params(a: Alert): Record<string, unknown> {
  return {
    id: a.id, rule: a.rule, groupKey: a.groupKey, labels: JSON.stringify(a.labels), summary: a.summary, state: a.state, startsAt: a.startsAt, endsAt: a.endsAt,
    members: JSON.stringify(a.members), incident: a.incident === null ? null : JSON.stringify(a.incident), notified: a.notified ? 1 : 0, lastNotifiedAt: a.lastNotifiedAt,
  };
}
