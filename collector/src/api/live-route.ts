/**
 * `GET /api/v1/live` (viewer): the dashboard's Server-Sent Events feed, cut when what opened it
 * stops being valid. A feed stays open for hours, past the one check at its start, so every open
 * feed's credential is checked again each CHECK_EVERY_MS: a revoked (or expired, or rotated out)
 * token, or a session that was logged out, timed out or lost its token, closes its feeds within
 * about a second. The EventSource then reconnects and gets 401.
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { LiveHub } from '@sigmascope/protocol/live-hub';
import { serveLiveFeed } from '@sigmascope/web/server/sse';
import { caller } from './api-auth.ts';
import type { Caller } from './api-auth.ts';

const CHECK_EVERY_MS = 1_000;

/** Registers the live feed; `stillValid` answers whether a caller's credential is still accepted (not a use). */
export function registerLiveRoute(app: Hono<{ Bindings: HttpBindings }>, hub: LiveHub, stillValid: (c: Caller) => boolean): void {
  const open = new Map<{ destroy(): void }, Caller>();
  let timer: NodeJS.Timeout | null = null;
  const sweep = (): void => {
    for (const [res, who] of open) if (!stillValid(who)) (open.delete(res), res.destroy());
    if (open.size === 0 && timer !== null) (clearInterval(timer), (timer = null));
  };
  app.get('/api/v1/live', (c) => {
    const who = caller(c);
    const answer = serveLiveFeed(c, hub);
    const res = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (who !== null && res !== undefined) {
      open.set(res, who);
      res.once('close', () => open.delete(res));
      if (timer === null) (timer = setInterval(sweep, CHECK_EVERY_MS)).unref();
    }
    return answer;
  });
}
