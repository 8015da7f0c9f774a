/**
 * Authentication for /api/v1: a viewer or admin token as `Authorization: Bearer` (scripts), or
 * the session cookie set by /login (browsers: an opaque session id, never the token; see
 * collector/src/auth/session-store.ts). Checked before any handler runs; handlers ask
 * `caller(c)` who is asking.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { AuthFailures } from '../auth/auth-failures.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { hashToken } from '../auth/token-store.ts';
import type { Role, TokenIdentity, TokenStore } from '../auth/token-store.ts';
import { bearerToken } from '../ingest/bearer.ts';
import { apiError } from './api-error.ts';

export const SESSION_COOKIE = 'sigmascope_session';

/** Who an authenticated request is, and what it authenticated with (the live feed watches it). */
export interface Caller {
  readonly identity: TokenIdentity;
  /** `token`: a Bearer header (its hash); `session`: the cookie (its id). */
  readonly credential: { readonly kind: 'token'; readonly tokenHash: string } | { readonly kind: 'session'; readonly id: string };
}

/** Authenticated requests → their caller; set by requireRole, read by handlers. */
const callers = new WeakMap<Request, Caller>();

/** Who is asking, on a route behind requireRole; null elsewhere. */
export function caller(c: Context): Caller | null {
  return callers.get(c.req.raw) ?? null;
}

/** The name of who is asking (the actor of an audit entry), or 'unknown'. */
export function callerName(c: Context): string {
  return caller(c)?.identity.name ?? 'unknown';
}

/** Requires a token or session whose role is in `roles`; 401 without one, 403 with the wrong role, 429 when guessing. */
export function requireRole(tokens: TokenStore, sessions: SessionStore, failures: AuthFailures, roles: readonly Role[], clientAddress: (c: Context) => string): MiddlewareHandler {
  return async (c, next) => {
    const address = clientAddress(c);
    const token = bearerToken(c.req.header('authorization'));
    const cookie = token === null ? getCookie(c, SESSION_COOKIE) ?? null : null;
    let found: Caller | null = null;
    if (cookie !== null) {
      const s = sessions.check(cookie);
      if (!s.ok) {
        // A random 256-bit id is not guessed: an id that never existed counts as a failure, a
        // session that ended is a browser that has not heard yet (and gets its cookie cleared).
        if (failures.blocked(address, null)) throw apiError(429, 'rate_limited', 'too many failed authentications; wait a minute');
        if (s.reason === 'unknown') failures.record(address);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        // Answered here, not thrown: the error response would drop the cookie's deletion.
        return c.json({ error: { code: 'unauthorized', message: s.reason === 'unknown' ? 'session not recognised: sign in again' : `session ended (${s.reason.replace('_', ' ')}): sign in again` } }, 401);
      }
      found = { identity: s.identity, credential: { kind: 'session', id: cookie } };
    } else {
      const tokenHash = token === null ? null : hashToken(token);
      if (failures.blocked(address, tokenHash)) throw apiError(429, 'rate_limited', 'too many failed authentications; wait a minute');
      const checked = token === null ? null : tokens.check(token, address);
      const identity = checked?.ok === true ? checked.identity : null;
      if (tokenHash === null || identity === null || identity.role === 'agent') {
        failures.record(address);
        throw apiError(401, 'unauthorized', checked === null ? 'a viewer or admin token is required' : checked.ok || checked.reason === 'unknown' ? 'token not recognised' : `token ${checked.reason}`);
      }
      failures.succeeded(address, tokenHash);
      found = { identity, credential: { kind: 'token', tokenHash } };
    }
    if (!roles.includes(found.identity.role)) throw apiError(403, 'forbidden', `this route needs the ${roles.join(' or ')} role`);
    callers.set(c.req.raw, found);
    await next();
  };
}
