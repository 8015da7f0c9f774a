/**
 * Serves a hono app over node:http (which Bun implements too) on host:port and returns the bound
 * address and a close function. The `upgrade` hook lets the collector take WebSocket upgrades on
 * the same port; every socket is guarded as server-sockets.ts says, so no peer can throw in here.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardServerSockets } from './server-sockets.ts';
import type { UpgradeHandler } from './server-sockets.ts';

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
  readonly onUpgrade?: UpgradeHandler;
}

/** Resolves once listening; rejects with the system error (EADDRINUSE, EACCES) otherwise. */
export function listen(options: ListenOptions): Promise<Listening> {
  const server = createAdaptorServer({ fetch: options.fetch as never }) as Server;
  guardServerSockets(server, options.onUpgrade);
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
