/** Schema migrations, applied in order; entry i takes the schema from version i to i+1. Never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
  `
  create table agents (
    id text primary key,
    name text not null,
    hostname text not null default '',
    version text not null default '',
    boot_id text not null default '',
    first_seen integer not null,
    last_seen integer not null,
    clock_skew_ms integer not null default 0,
    samples integer not null default 0
  );
  create table streams (
    agent_id text not null references agents(id),
    stream text not null,
    last_seq integer not null,
    primary key (agent_id, stream)
  ) without rowid;
  create table series (
    id integer primary key,
    agent_id text not null,
    name text not null,
    labels text not null,
    key text not null,
    unique (agent_id, key)
  );
  create index series_by_name on series (name, agent_id);
  create table samples (
    series_id integer not null,
    ts integer not null,
    value real not null
  );
  create index samples_by_series_ts on samples (series_id, ts);
  create table events (
    id integer primary key,
    agent_id text not null,
    ts integer not null,
    kind text not null,
    body text not null,
    state text not null default 'open'
  );
  create index events_by_ts on events (ts);
  create table tokens (
    hash text primary key,
    name text not null,
    role text not null check (role in ('agent', 'viewer', 'admin')),
    created_at integer not null,
    revoked_at integer
  );
  create unique index tokens_agent_name on tokens (name) where role = 'agent' and revoked_at is null;
  `,
  // 2: the chunked layout (docs/storage.md). Rows of the one-row-per-sample `samples` table are
  // moved into the intake by the store at its first open and the table is then left empty.
  `
  create table intake (
    id integer primary key,
    body blob not null
  );
  create table chunks (
    series_id integer not null,
    t_min integer not null,
    t_max integer not null,
    n integer not null,
    data blob not null
  );
  create index chunks_by_series on chunks (series_id, t_min);
  create index chunks_by_t_max on chunks (t_max);
  create table rollup_10s (series_id integer not null, block integer not null, data blob not null, primary key (series_id, block)) without rowid;
  create table rollup_1m (series_id integer not null, block integer not null, data blob not null, primary key (series_id, block)) without rowid;
  create table rollup_1h (series_id integer not null, block integer not null, data blob not null, primary key (series_id, block)) without rowid;
  create index rollup_10s_by_block on rollup_10s (block);
  create index rollup_1m_by_block on rollup_1m (block);
  create index rollup_1h_by_block on rollup_1h (block);
  create table sketch_1m (series_id integer not null, ts integer not null, data blob not null, primary key (series_id, ts)) without rowid;
  create table sketch_1h (series_id integer not null, ts integer not null, data blob not null, primary key (series_id, ts)) without rowid;
  create index sketch_1m_by_ts on sketch_1m (ts);
  create index sketch_1h_by_ts on sketch_1h (ts);
  create table store_meta (key text primary key, value integer not null) without rowid;
  `,
  // 3: rollups move out of the per-second flush into the period rollup (period-rollup.ts), a 5 min
  // tier for day views, columnar blocks and compact sketches (old blobs stay readable). The pending
  // key tells the period rollup to derive its watermark and the new tier from what is already here.
  `
  create table rollup_5m (series_id integer not null, block integer not null, data blob not null, primary key (series_id, block)) without rowid;
  create index rollup_5m_by_block on rollup_5m (block);
  insert into store_meta (key, value) values ('rollup_upgrade_pending', 1) on conflict (key) do nothing;
  `,
  // 4: samples stamped far in the collector's future are set apart (quarantine-rows.ts), counted per agent.
  `
  alter table agents add column quarantined integer not null default 0;
  create table quarantine (
    id integer primary key,
    agent_id text not null,
    received_at integer not null,
    ts integer not null,
    name text not null,
    labels text not null,
    value real not null
  );
  create index quarantine_by_agent on quarantine (agent_id, id);
  create index quarantine_by_received on quarantine (received_at);
  `,
  // 5: samples of new series beyond the series caps are acknowledged but refused (series-admission.ts), counted per agent.
  `
  alter table agents add column refused_samples integer not null default 0;
  `,
];
