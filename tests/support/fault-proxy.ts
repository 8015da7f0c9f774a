/**
 * A WebSocket fault proxy between agents and a collector (test code). It forwards the upgrade
 * with the agent's Authorization header, then every message both ways, except that it:
 * drops a fraction of the collector's acks, sends a fraction of the agent's batches twice (a
 * network duplicate), and can cut every link on demand. It counts what it did.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeFrame } from '../../protocol/src/codec.ts';

export interface FaultProxy {
  readonly port: number;
  readonly counts: { acksDropped: number; acksPassed: number; batchesDuplicated: number; cuts: number; linksOpened: number };
  /** Closes every open link abruptly (both sides see a reset). */
  cutAll(): void;
  /** From now on drops this fraction of the collector's acks. */
  setDropAckRatio(ratio: number): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, opts: { dropAckRatio: number; duplicateBatchRatio: number; seed?: number }): Promise<FaultProxy> {
  let seed = opts.seed ?? 1;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  const counts = { acksDropped: 0, acksPassed: 0, batchesDuplicated: 0, cuts: 0, linksOpened: 0 };
  let dropAckRatio = opts.dropAckRatio;
  const links = new Set<{ a: WebSocket; c: WebSocket }>();
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const upstream = new WebSocket(target, { headers: { authorization: req.headers.authorization ?? '' }, perMessageDeflate: false, maxPayload: 2 << 20 });
    upstream.on('unexpected-response', (_r, res) => socket.end(`HTTP/1.1 ${res.statusCode} Refused\r\nConnection: close\r\n\r\n`));
    upstream.on('error', () => socket.destroy());
    upstream.on('open', () =>
      wss.handleUpgrade(req, socket, head, (agent) => {
        const link = { a: agent, c: upstream };
        links.add(link);
        counts.linksOpened++;
        agent.on('message', (data: Buffer) => {
          upstream.send(data);
          const d = decodeFrame(data);
          if (d.ok && d.frame.t === 'batch' && random() < opts.duplicateBatchRatio) {
            counts.batchesDuplicated++;
            upstream.send(data);
          }
        });
        upstream.on('message', (data: Buffer) => {
          const d = decodeFrame(data);
          if (d.ok && d.frame.t === 'ack') {
            if (random() < dropAckRatio) return void counts.acksDropped++;
            counts.acksPassed++;
          }
          agent.send(data);
        });
        const end = (): void => {
          links.delete(link);
          agent.terminate();
          upstream.terminate();
        };
        agent.on('close', end);
        upstream.on('close', end);
        agent.on('error', end);
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    counts,
    setDropAckRatio(ratio) {
      dropAckRatio = ratio;
    },
    cutAll() {
      for (const l of links) {
        counts.cuts++;
        l.a.terminate();
        l.c.terminate();
      }
      links.clear();
    },
    close: () =>
      new Promise((r) => {
        for (const l of links) (l.a.terminate(), l.c.terminate());
        wss.close();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
