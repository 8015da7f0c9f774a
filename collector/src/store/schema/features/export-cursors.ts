/**
 * Tables of the exporters (collector/src/export/): one cursor per configured endpoint, the id
 * of the last intake record it has handed on (sent, or dropped and counted), with its totals.
 */
export const EXPORT_CURSOR_MIGRATIONS: readonly string[] = [
  `
  create table export_cursors (
    endpoint text primary key,
    intake_id integer not null,
    samples_sent integer not null default 0,
    samples_dropped integer not null default 0,
    updated_at integer not null
  ) without rowid;
  `,
];
