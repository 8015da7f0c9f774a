/**
 * Authentication for /api/v1: a viewer or admin token, as `Authorization: Bearer` (scripts) or
 * the session cookie set by /login (browsers). Checked before any handler runs.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AuthFailures } from '../auth/auth-failures.ts';
import { hashToken } from '../auth/token-store.ts';
import type { Role, TokenStore } from '../auth/token-store.ts';
import { bearerToken } from '../ingest/bearer.ts';
import { apiError } from './api-error.ts';

export const SESSION_COOKIE = 'sigmascope_session';

/** The token a request presents: `Authorization: Bearer` (scripts) or the session cookie (browsers); null when none. */
export function presentedToken(c: Parameters<MiddlewareHandler>[0]): string | null {
  return bearerToken(c.req.header('authorization')) ?? getCookie(c, SESSION_COOKIE) ?? null;
}

/** Requires a token whose role is in `roles`; 401 without one, 403 with the wrong role, 429 when guessing. */
export function requireRole(tokens: TokenStore, failures: AuthFailures, roles: readonly Role[], clientAddress: (c: Parameters<MiddlewareHandler>[0]) => string): MiddlewareHandler {
  return async (c, next) => {
    const address = clientAddress(c);
    const token = presentedToken(c);
    const tokenHash = token === null ? null : hashToken(token);
    if (failures.blocked(address, tokenHash)) throw apiError(429, 'rate_limited', 'too many failed authentications; wait a minute');
    const checked = token === null ? null : tokens.check(token, address);
    const identity = checked?.ok === true ? checked.identity : null;
    if (tokenHash === null || identity === null || identity.role === 'agent') {
      failures.record(address);
      throw apiError(401, 'unauthorized', checked === null ? 'a viewer or admin token is required' : checked.ok || checked.reason === 'unknown' ? 'token not recognised' : `token ${checked.reason}`);
    }
    failures.succeeded(address, tokenHash);
    if (!roles.includes(identity.role)) throw apiError(403, 'forbidden', `this route needs the ${roles.join(' or ')} role`);
    await next();
  };
}
