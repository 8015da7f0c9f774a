/**
 * The keep-alive connections of one target within a run, as an application talking to an LLM
 * server holds them (vLLM's and GuideLLM's runners do the same): a request goes out on an idle
 * connection when there is one and opens a new one only when all are busy, so connect (and TLS)
 * time lands on the first request of each connection and is recorded there (`connect_ms`).
 *
 * An idle connection is closed after `IDLE_CLOSE_MS`, before the 5 s keep-alive common servers
 * (uvicorn, Node) allow, so a request is never written to a connection the server has just
 * closed. `destroy` closes them all when the target is done.
 */
import http from 'node:http';
import https from 'node:https';

/** How long an idle pooled connection is kept. */
export const IDLE_CLOSE_MS = 4_000;

/** A pool for requests to `url` (its scheme picks plain or TLS connections). */
export function connectionPool(url: string): http.Agent {
  const options = { keepAlive: true, timeout: IDLE_CLOSE_MS, scheduling: 'lifo' as const };
  return new URL(url).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}
