/**
 * Signing a browser in: a token starts a session (collector/src/auth/session-store.ts) whose
 * random id, never the token, goes into an HttpOnly, SameSite=Strict cookie.
 *
 *   GET  /login?token=T      the link `sigmascope start` prints: sets the cookie, 303 to /
 *   POST /login {"token"}    the dashboard's sign-in form: sets the cookie, 200 {name, role}
 *   POST /logout             ends the session and clears the cookie
 *
 * A sign-in is an audit entry `session.login` (who, role, from where, the session's short ref),
 * a sign-out `session.logout`.
 *
 * Only viewer and admin tokens sign in; an agent token or a wrong one is 401 and counts toward
 * the address's failure limit (429 past it), checked before anything else.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import type { AuditSink } from '../audit/audit-entry.ts';
import type { AuthFailures } from '../auth/auth-failures.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { hashToken } from '../auth/token-store.ts';
import type { TokenIdentity, TokenStore } from '../auth/token-store.ts';
import { SESSION_COOKIE } from './api-auth.ts';
import { apiError } from './api-error.ts';

/** Registers /login and /logout. `address` names the caller for the failure limit. */
export function registerLoginRoutes(app: Hono<{ Bindings: HttpBindings }>, tokens: TokenStore, sessions: SessionStore, failures: AuthFailures, address: (c: Context) => string, audit: AuditSink): void {
  const signIn = (c: Context, token: string): TokenIdentity => {
    // A token that signed in from this address before is let through while guesses from it are refused (auth-failures.ts).
    if (failures.blocked(address(c), token === '' ? null : hashToken(token))) throw apiError(429, 'rate_limited', 'too many failed sign-ins; wait a minute');
    const identity = tokens.verify(token);
    if (identity === null || identity.role === 'agent') {
      failures.record(address(c));
      throw apiError(401, 'unauthorized', identity?.role === 'agent' ? 'that is an agent token: sign in with a viewer or admin token (sigmascope token create NAME --role viewer)' : 'this token is not valid (revoked, mistyped, or from another collector): create one with `sigmascope token create NAME --role viewer`');
    }
    failures.succeeded(address(c), hashToken(token));
    const session = sessions.create(identity, hashToken(token));
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/', expires: new Date(session.expiresAt) });
    audit.record({ actor: identity.name, action: 'session.login', target: identity.name, detail: { role: identity.role, from: address(c), session: session.ref } });
    return identity;
  };

  app.get('/login', (c) => {
    signIn(c, c.req.query('token') ?? '');
    return c.redirect('/', 303);
  });

  app.post('/login', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { token?: unknown } | null;
    if (typeof body?.token !== 'string') throw apiError(400, 'bad_body', 'the body must be JSON: {"token": "…"}');
    const identity = signIn(c, body.token.trim());
    return c.json({ name: identity.name, role: identity.role });
  });

  app.post('/logout', (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    const ended = id === undefined ? null : sessions.end(id);
    if (ended !== null) audit.record({ actor: ended.identity.name, action: 'session.logout', target: ended.identity.name, detail: { from: address(c), session: ended.ref } });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });
}
