/**
 * The transport's one retry, the keep-alive race, against real loopback servers: a server that
 * closes a kept-alive connection as the next request arrives, without answering it.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { timedRequest } from './http-transport.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/**
 * Answers requests; with `answerFirstOnly`, drops a connection when a second request comes on
 * it. Counts the requests it answered and the connections it saw.
 */
async function closingServer(answerFirstOnly: boolean): Promise<{ url: string; answered: () => number; connections: () => number }> {
  let answered = 0;
  const seen = new Map<Socket, number>();
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    if (answerFirstOnly && n > 1) return req.socket.destroy();
    answered++;
    req.resume();
    req.on('end', () => res.end('data: {}\n\n'));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/chat/completions`, answered: () => answered, connections: () => seen.size };
}

const request = (url: string, agent?: http.Agent) => timedRequest({ url, body: '{}', timeoutMs: 5_000, idleTimeoutMs: 5_000, maxBytes: 1 << 16, ...(agent ? { agent } : {}) });

describe('timedRequest on a keep-alive pool', () => {
  it('sends a request again on a new connection when the server drops the reused one unanswered', async () => {
    const server = await closingServer(true);
    const agent = new http.Agent({ keepAlive: true });
    try {
      const first = await request(server.url, agent);
      const second = await request(server.url, agent);
      expect(first.ok).toBe(true);
      expect(second.ok, JSON.stringify(second)).toBe(true);
      expect(server.answered()).toBe(2);
      expect(server.connections()).toBe(2);
      // The second attempt opened its own connection, so its timings have a connect phase.
      expect(second.timings.connectMs).not.toBeNull();
    } finally {
      agent.destroy();
    }
  });

  it('sends nothing twice on a new connection: a fresh connection dropped unanswered is a failure', async () => {
    let requests = 0;
    const server = http.createServer((req) => {
      requests++;
      req.socket.destroy();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const agent = new http.Agent({ keepAlive: true });
    try {
      const o = await request(url, agent);
      expect(o.ok).toBe(false);
      expect(!o.ok && o.errorType).toBe('stream_error');
      expect(requests).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('pays one new connection per dropped one, request after request', async () => {
    // Every request after the first on a connection is dropped; each retry's new connection is
    // answered, so every request succeeds on a connection of its own.
    const server = await closingServer(true);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) expect((await request(server.url, agent)).ok).toBe(true);
      expect(server.answered()).toBe(3);
      expect(server.connections()).toBe(3);
    } finally {
      agent.destroy();
    }
  });
});
