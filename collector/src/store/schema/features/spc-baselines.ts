/**
 * The spc-baselines feature: when a person re-baselined a series' control chart (a deploy, a new
 * model, a new batch size changed the process on purpose). The collector's chart of that series
 * takes its limits from the points after the latest one. Append-only; the audit trail has who.
 */
export const SPC_BASELINES_MIGRATIONS: readonly string[] = [
  `create table spc_baselines (
     id integer primary key,
     agent_id text not null,
     series text not null,
     from_ts integer not null,
     created_at integer not null,
     actor text not null
   )`,
  'create index spc_baselines_series on spc_baselines (agent_id, series, id)',
];
