/**
 * The status server's door when it listens beyond loopback: every request but /healthz needs the
 * status token, as `Authorization: Bearer`, or the cookie that `GET /login?token=…` sets for a
 * browser. On loopback (the default) there is no door: whoever can reach 127.0.0.1 is on the host.
 *
 * The token is the content of a 0600 file (status.tokenFile, default DATA/status-token), created
 * with a random token at the first start that needs it. It is not the collector token: reading a
 * host's status must never let someone send data as that host.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { isLoopbackHost } from '@sigmascope/protocol/loopback';

/** True when `host` is reachable from this machine only (protocol/src/loopback.ts). */
export const isLoopback = isLoopbackHost;

export const STATUS_COOKIE = 'sigmascope_status';

/** Reads the status token from `path`, creating it (0600) when absent. ConfigError for a loose or empty file. */
export function loadStatusToken(path: string): string {
  if (!existsSync(path)) writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new ConfigError('status.tokenFile', `${path} is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}`);
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < 16) throw new ConfigError('status.tokenFile', `${path} holds no token of at least 16 characters`);
  return token;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function presented(req: IncomingMessage): string | null {
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (auth) return auth[1] as string;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === STATUS_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

/**
 * A gate for `token` (null: open). Returns true when the request may go on; otherwise it has
 * answered (401, or the /login redirect) and the caller stops.
 */
export function statusGate(token: string | null): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  if (token === null) return () => true;
  const want = digest(token);
  const matches = (t: string | null): boolean => t !== null && timingSafeEqual(digest(t), want);
  return (req, res, path) => {
    if (path === '/healthz') return true;
    if (path === '/login') {
      const t = new URL(req.url ?? '/', 'http://status').searchParams.get('token');
      if (matches(t)) {
        res.writeHead(303, { location: '/', 'set-cookie': `${STATUS_COOKIE}=${encodeURIComponent(t as string)}; HttpOnly; SameSite=Strict; Path=/` }).end();
        return false;
      }
    } else if (matches(presented(req))) return true;
    const body = JSON.stringify({ error: { code: 'unauthorized', message: 'this status page listens beyond loopback: present the token in the agent\'s status token file (Authorization: Bearer, or open /login?token=…)' } });
    res.writeHead(401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    return false;
  };
}
