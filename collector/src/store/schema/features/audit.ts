/**
 * The audit log's table: append-only. A trigger refuses every update, so an entry once written
 * reads the same until retention removes it.
 */
export const AUDIT_MIGRATIONS: readonly string[] = [
  `
  create table audit_log (
    id integer primary key autoincrement,
    at integer not null,
    actor text not null,
    action text not null,
    target text not null,
    detail text
  );
  create index audit_by_at on audit_log (at);
  create index audit_by_action on audit_log (action, at);
  create trigger audit_log_append_only before update on audit_log
  begin
    select raise(abort, 'the audit log is append-only');
  end;
  `,
];
