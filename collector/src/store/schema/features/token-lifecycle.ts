/**
 * Token lifecycle beside the core `tokens` table: when a token expires, when it was first and
 * last used and from where. A row exists once a token has an expiry or has been used. Rotation
 * needs no column: the retiring token's `revoked_at` is set to the end of its window, and a
 * token counts as revoked only from that instant on (token-store.ts).
 */
export const TOKEN_LIFECYCLE_MIGRATIONS: readonly string[] = [
  `
  create table token_lifecycle (
    hash text primary key,
    expires_at integer,
    first_used_at integer,
    last_used_at integer,
    last_used_from text
  ) without rowid;
  `,
];
