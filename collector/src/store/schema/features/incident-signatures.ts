/**
 * Incident signatures for "have we seen this before?" (collector/src/analytics/incident-signature.ts):
 * a vec0 table of 384-bit SimHash codes that sqlite-vec searches by Hamming distance for
 * candidates, the exact 192-float signatures beside it that rank them by cosine distance, and
 * what a person wants to see of each past incident.
 */
export const INCIDENT_SIGNATURE_MIGRATIONS: readonly string[] = [
  `
  create virtual table incident_signature_bits using vec0(signs bit[384]);
  create table incident_signatures (
    id integer primary key,
    incident_id text not null unique,
    started_at integer not null,
    cause text not null,
    summary text not null,
    note text,
    state text not null,
    resolved_at integer,
    embedding blob not null
  );
  create index incident_signatures_by_start on incident_signatures (started_at);
  `,
];
