/**
 * The anomalies the collector's own scan finds (collector/src/analytics/anomaly-scan.ts): one row
 * per episode of a series, kept as long as the 1-minute tier. Anomalies that agents detect arrive
 * as events and live in `events`.
 */
export const ANOMALIES_MIGRATIONS: readonly string[] = [
  `
  create table anomalies (
    id integer primary key,
    agent_id text not null,
    series_id integer not null,
    ts integer not null,
    value real not null,
    baseline real not null,
    scale real not null,
    score real not null
  );
  create index anomalies_by_ts on anomalies (ts);
  create index anomalies_by_series on anomalies (series_id, ts);
  `,
];
