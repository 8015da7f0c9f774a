/**
 * The live feed as Server-Sent Events, written straight to the Node response: each frame's bytes
 * come from the LiveHub, encoded once and shared by every page, so a write per page is all the
 * push path costs. Falls back to hono's SSE stream where there is no Node response (app.fetch in
 * tests).
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { LiveHub } from '@sigmascope/protocol/live-hub';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Answers a GET with an open event stream fed by `hub` until the client goes away. */
export function serveLiveFeed(c: Context, hub: LiveHub): Response | Promise<Response> {
  const env = c.env as Partial<HttpBindings> | undefined;
  const res = env?.outgoing;
  const req = env?.incoming;
  if (res === undefined || req === undefined) {
    return streamSSE(c, async (stream) => {
      const unsubscribe = hub.subscribe((bytes) => (void stream.write(bytes), true));
      await new Promise<void>((resolve) => stream.onAbort(() => resolve()));
      unsubscribe();
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': live\n\n');
  const unsubscribe = hub.subscribe((bytes) => {
    // A page that stopped reading is cut off (its EventSource reconnects) rather than buffered without bound.
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return false;
    }
    return res.write(bytes);
  });
  const end = (): void => unsubscribe();
  req.socket.once('close', end);
  res.once('close', end);
  return RESPONSE_ALREADY_SENT;
}
