/**
 * The alert outbox (`alert_notifications`, features/alerts.ts): one row per notification per
 * channel, queued in the engine's transaction, then claimed, retried and finished by the outbox.
 *
 *   pending ──send ok──▶ delivered
 *      │ └──retryable──▶ pending (attempts+1, next_at later)
 *      └──permanent / past giveUpAfter──▶ failed (last_error says why)
 *
 * A channel's resolved notification of an alert is not due while its firing one is still pending.
 */
import type { Statement } from 'better-sqlite3';
import type { Delivery, Notification, NotificationKind } from '../../alerts/alert.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** A pending notification the outbox is about to send. */
export interface DueNotification {
  readonly notification: Notification;
  readonly channel: string;
  readonly attempts: number;
  readonly createdAt: number;
}

interface Row {
  id: string; alert_id: string; channel: string; kind: NotificationKind; body: string; created_at: number; state: Delivery['state'];
  attempts: number; next_at: number; last_error: string | null; last_status: number | null; delivered_at: number | null;
}

export class NotificationRows {
  private readonly s: Record<'enqueue' | 'due' | 'delivered' | 'retry' | 'failed' | 'byAlert' | 'pending', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      enqueue: db.prepare('insert into alert_notifications (id, alert_id, channel, kind, body, created_at, state, next_at) values (?, ?, ?, ?, ?, ?, \'pending\', ?) on conflict do nothing'),
      due: db.prepare(`select n.* from alert_notifications n where n.state = 'pending' and n.next_at <= ?
        and not exists (select 1 from alert_notifications e where e.alert_id = n.alert_id and e.channel = n.channel and e.state = 'pending' and e.seq < n.seq)
        order by n.next_at, n.seq limit ?`),
      delivered: db.prepare("update alert_notifications set state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_status = ?, last_error = null where id = ? and state = 'pending'"),
      retry: db.prepare("update alert_notifications set attempts = attempts + 1, next_at = ?, last_error = ?, last_status = ? where id = ? and state = 'pending'"),
      failed: db.prepare("update alert_notifications set state = 'failed', attempts = attempts + 1, last_error = ?, last_status = ? where id = ? and state = 'pending'"),
      byAlert: db.prepare('select * from alert_notifications where alert_id = ? order by seq'),
      pending: db.prepare("select count(*) from alert_notifications where state = 'pending'").pluck(),
    };
  }

  /** Queues one notification for one channel; a second firing/resolved of the same alert and channel is ignored. Returns whether it was queued. */
  enqueue(n: Notification, channel: string): boolean {
    return this.s.enqueue.run(n.id, n.alert.id, channel, n.kind, JSON.stringify(n), n.createdAt, n.createdAt).changes === 1;
  }

  /** Pending notifications due at `now`, oldest first, at most `limit`. */
  due(now: number, limit: number): DueNotification[] {
    return (this.s.due.all(now, limit) as Row[]).map((r) => ({ notification: JSON.parse(r.body) as Notification, channel: r.channel, attempts: r.attempts, createdAt: r.created_at }));
  }

  delivered(id: string, at: number, status: number | null): void {
    this.s.delivered.run(at, status, id);
  }

  retry(id: string, nextAt: number, error: string, status: number | null): void {
    this.s.retry.run(nextAt, error, status, id);
  }

  failed(id: string, error: string, status: number | null): void {
    this.s.failed.run(error, status, id);
  }

  /** Every notification of an alert, in queue order, as the API shows them. */
  forAlert(alertId: string): Delivery[] {
    return (this.s.byAlert.all(alertId) as Row[]).map((r) => ({
      id: r.id, channel: r.channel, kind: r.kind, state: r.state, attempts: r.attempts, createdAt: r.created_at,
      nextAt: r.state === 'pending' ? r.next_at : null, deliveredAt: r.delivered_at, lastError: r.last_error, lastStatus: r.last_status,
    }));
  }

  pendingCount(): number {
    return this.s.pending.get() as number;
  }
}
