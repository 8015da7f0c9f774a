/**
 * Browser sessions (collector/src/auth/session-store.ts): a sign-in makes a random session id,
 * stored only as its SHA-256, tied to the token that signed in (its hash), with an absolute
 * expiry and the time of its last use (the idle timeout counts from there). A session ends at
 * logout, at expiry or idleness, or when its token is revoked or expires; ended rows stay, with
 * why, until they are a day past their expiry.
 */
export const SESSIONS_MIGRATIONS: readonly string[] = [
  `
  create table sessions (
    hash text primary key,
    token_hash text not null,
    name text not null,
    role text not null,
    created_at integer not null,
    last_seen_at integer not null,
    expires_at integer not null,
    ended_at integer,
    end_reason text
  ) without rowid;
  create index sessions_by_token on sessions (token_hash);
  `,
];
