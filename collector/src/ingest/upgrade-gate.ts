/**
 * The checks an upgrade to `WS /ingest` passes before anything else happens, in order:
 *
 *   path exactly /ingest ─ no ─▶ 404
 *   address blocked for this token (auth-failures.ts) ─ yes ─▶ 429, Retry-After: 60
 *   with mTLS, a client certificate signed by the client CA ─ no ─▶ 401 "client certificate …"
 *   a live agent token ─ no ─▶ 401 (counted as a failure of the address), "token expired" or
 *                               "token revoked" in the status text when it was one
 *   └─▶ admitted: the agent's identity is the token's name
 *
 * Refusals are counted by reason in the ingest stats (no_token, bad_token, expired_token,
 * revoked_token, wrong_role, client_cert, rate_limited).
 */
import type { IncomingMessage } from 'node:http';
import type { AuthFailures } from '../auth/auth-failures.ts';
import { hashToken } from '../auth/token-store.ts';
import type { TokenStore } from '../auth/token-store.ts';
import { bearerToken } from './bearer.ts';
import type { IngestStats } from './ingest-stats.ts';

export type UpgradeVerdict =
  | { readonly ok: true; readonly agentId: string; readonly tokenHash: string }
  | { readonly ok: false; readonly status: number; readonly text: string; readonly headers?: Readonly<Record<string, string>> };

/** Decides an upgrade request; records the failure or the success with `failures`. */
export function checkUpgrade(req: IncomingMessage, tokens: TokenStore, failures: AuthFailures, stats: IngestStats, clientCertRefusal?: (req: IncomingMessage) => string | null): UpgradeVerdict {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  // The path exactly: /ingestXYZ or /ingest/x is not the ingest endpoint.
  if ((query === -1 ? url : url.slice(0, query)) !== '/ingest') return { ok: false, status: 404, text: 'Not Found' };
  const address = req.socket.remoteAddress ?? 'unknown';
  const refused = (reason: string): void => void (stats.authRefused[reason] = (stats.authRefused[reason] ?? 0) + 1);
  const token = bearerToken(req.headers.authorization);
  const tokenHash = token === null ? null : hashToken(token);
  if (failures.blocked(address, tokenHash)) {
    refused('rate_limited');
    return { ok: false, status: 429, text: 'Too Many Requests', headers: { 'Retry-After': '60' } };
  }
  const certRefusal = clientCertRefusal?.(req) ?? null;
  if (certRefusal !== null) {
    failures.record(address);
    refused('client_cert');
    return { ok: false, status: 401, text: `Unauthorized: ${certRefusal}` };
  }
  const checked = token === null ? null : tokens.check(token, address);
  const identity = checked?.ok === true ? checked.identity : null;
  if (checked === null || tokenHash === null || identity === null || identity.role !== 'agent') {
    failures.record(address);
    refused(checked === null ? 'no_token' : !checked.ok ? (checked.reason === 'unknown' ? 'bad_token' : `${checked.reason}_token`) : 'wrong_role');
    return { ok: false, status: 401, text: checked?.ok === false && checked.reason !== 'unknown' ? `Unauthorized: token ${checked.reason}` : 'Unauthorized' };
  }
  failures.succeeded(address, tokenHash);
  return { ok: true, agentId: identity.name, tokenHash };
}
