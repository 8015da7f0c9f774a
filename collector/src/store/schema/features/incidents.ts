/**
 * Tables of the incidents feature (collector/src/incidents): one row per incident as the API
 * serves it, plus the keys of the signals it rests on, so that a restarted collector goes on
 * with the incidents it had open instead of opening them again. Entry i takes the feature from
 * version i to i+1; never edit a shipped one.
 */
export const INCIDENT_MIGRATIONS: readonly string[] = [
  `
  create table incidents (
    id text primary key,
    state text not null check (state in ('open', 'acknowledged', 'resolved')),
    started_at integer not null,
    opened_at integer not null,
    resolved_at integer,
    updated_at integer not null,
    cause text not null check (cause in ('provider', 'host', 'network', 'unknown')),
    confidence real not null,
    provider text,
    model text,
    agents text not null,
    summary text not null,
    evidence text not null,
    note text,
    signals text not null
  ) without rowid;
  create index incidents_by_started on incidents (started_at);
  create index incidents_unresolved on incidents (state) where state != 'resolved';
  `,
];
