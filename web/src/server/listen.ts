/**
 * Serves a hono app over node:http (which Bun implements too), or node:https with `tls`, on
 * host:port and returns the bound address and a close function. The `upgrade` hook lets the
 * collector take WebSocket upgrades on the same port; every socket is guarded as
 * server-sockets.ts says, so no peer can throw in here. With TLS, `reloadTls` swaps the
 * certificate for new connections; open ones keep the one they were made with.
 */
import { createAdaptorServer } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer, ServerOptions as TlsServerOptions } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardServerSockets } from './server-sockets.ts';
import type { UpgradeHandler } from './server-sockets.ts';

export interface Listening {
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  /** Serving https and wss: new TLS material for connections made from now on (throws on bad material). */
  readonly reloadTls?: (options: TlsServerOptions) => void;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly fetch: (req: Request, env: never) => Response | Promise<Response>;
  readonly host: string;
  readonly port: number;
  readonly onUpgrade?: UpgradeHandler;
  /** Certificate, key and client-certificate options: https instead of http. */
  readonly tls?: TlsServerOptions;
}

/**
 * How often node:http checks its connections against headersTimeout and requestTimeout. Node's
 * default (30 s) lets a client that trickles its headers hold a socket for 40 s instead of 10.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** Resolves once listening; rejects with the system error (EADDRINUSE, EACCES) otherwise. */
export function listen(options: ListenOptions): Promise<Listening> {
  const server = (options.tls === undefined
    ? createAdaptorServer({ fetch: options.fetch as never, serverOptions: { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS } })
    : createAdaptorServer({ fetch: options.fetch as never, createServer: createHttpsServer, serverOptions: { ...options.tls, connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS } })) as Server;
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
        ...(options.tls === undefined ? {} : { reloadTls: (tls: TlsServerOptions) => (server as unknown as HttpsServer).setSecureContext(tls) }),
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}
