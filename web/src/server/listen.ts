/**
 * Serves a hono app over node:http (which Bun implements too) on host:port and returns the bound
 * address and a close function. The `upgrade` hook lets the collector take WebSocket upgrades on
 * the same port.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';

export interface Listening {
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly fetch: (req: Request, env: never) => Response | Promise<Response>;
  readonly host: string;
  readonly port: number;
  readonly onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** Resolves once listening; rejects with the system error (EADDRINUSE, EACCES) otherwise. */
export function listen(options: ListenOptions): Promise<Listening> {
  const server = createAdaptorServer({ fetch: options.fetch as never }) as Server;
  if (options.onUpgrade) server.on('upgrade', options.onUpgrade);
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      resolve({
        host: options.host,
        port: addr.port,
        server,
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}
