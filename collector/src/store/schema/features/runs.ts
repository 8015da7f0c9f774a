/**
 * Benchmark runs uploaded by `sigmascope bench run --collector` (POST /api/v1/runs): run.json and
 * requests.jsonl as they were written, plus the columns the runs list sorts and shows.
 */
export const RUNS_MIGRATIONS: readonly string[] = [
  `create table bench_runs (
     id text primary key,
     suite_name text not null,
     started_at text not null,
     ended_at text not null,
     uploaded_at integer not null,
     uploaded_by text not null,
     request_count integer not null,
     run_json text not null,
     requests_json text not null
   ) without rowid`,
  'create index bench_runs_uploaded on bench_runs (uploaded_at)',
];
