/**
 * The alerts feature's tables (docs/alerts.md):
 *
 *   alerts ──1:n── alert_notifications (the outbox: one row per channel per firing / resolve / repeat)
 *   silences
 *
 * A firing alert is unique per group key (partial index), and a firing or resolved notification
 * is unique per alert and channel: a second one cannot be queued, whatever happens to the process.
 */
export const ALERTS_MIGRATIONS: readonly string[] = [
  `
  create table alerts (
    id text primary key,
    rule text not null,
    group_key text not null,
    labels text not null,
    summary text not null,
    state text not null check (state in ('firing', 'resolved')),
    starts_at integer not null,
    ends_at integer,
    members text not null,
    incident text,
    notified integer not null default 0,
    last_notified_at integer,
    acknowledged_by text,
    acknowledged_at integer,
    ack_note text
  );
  create unique index alerts_firing_by_group on alerts (group_key) where state = 'firing';
  create index alerts_by_start on alerts (starts_at);
  create table alert_notifications (
    seq integer primary key autoincrement,
    id text not null unique,
    alert_id text not null references alerts(id),
    channel text not null,
    kind text not null check (kind in ('firing', 'resolved', 'repeat')),
    body text not null,
    created_at integer not null,
    state text not null check (state in ('pending', 'delivered', 'failed')),
    attempts integer not null default 0,
    next_at integer not null,
    last_error text,
    last_status integer,
    delivered_at integer
  );
  create unique index notifications_once on alert_notifications (alert_id, channel, kind) where kind != 'repeat';
  create index notifications_due on alert_notifications (next_at) where state = 'pending';
  create index notifications_by_alert on alert_notifications (alert_id);
  create table silences (
    id text primary key,
    matchers text not null,
    starts_at integer not null,
    ends_at integer not null,
    comment text not null default '',
    created_by text not null,
    created_at integer not null
  );
  `,
];
