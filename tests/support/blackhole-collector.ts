/**
 * A collector that accepts and never acknowledges (test code, RELIABILITY.md B3): it takes the
 * upgrade, answers hello with a welcome that says nothing is stored yet, answers pings (ws does),
 * reads every frame and acknowledges none. An agent in front of it can only keep its data.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame } from '../../protocol/src/codec.ts';
import { PROTOCOL_VERSION } from '../../protocol/src/frames.ts';

export interface BlackholeCollector {
  readonly port: number;
  readonly counts: { connections: number; frames: number };
  /** Closes the server and every link; the port is free afterwards. */
  close(): Promise<void>;
}

export async function startBlackholeCollector(port = 0): Promise<BlackholeCollector> {
  const counts = { connections: 0, frames: 0 };
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/ingest', maxPayload: 2 << 20, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    counts.connections++;
    ws.on('message', (data: Buffer) => {
      counts.frames++;
      const d = decodeFrame(data);
      if (d.ok && d.frame.t === 'hello') ws.send(encodeFrame({ t: 'welcome', proto: PROTOCOL_VERSION, agentId: 'blackhole', lastSeq: 0, clock: Date.now() }));
    });
    ws.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    counts,
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
