/**
 * What every HTTP server of Sigmascope does with its sockets, whoever is on the other end:
 * timeouts, a quiet answer to a client that breaks the HTTP parser or resets mid-request, and an
 * error listener on every socket handed to an `upgrade` handler.
 *
 * Why the last one matters: when node:http emits `upgrade` it takes its own error listener off the
 * socket. From then on a peer that resets the connection (ECONNRESET, EPIPE) makes the socket
 * emit `error` with no listener, which throws and ends the process: one TCP packet would stop
 * the collector. So the listener goes on before any handler code runs, and a handler that throws
 * costs its socket, never the process.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** A server's `upgrade` handler: answers on the raw socket (a refusal) or hands it to a WebSocket server. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Swallows a socket error: the socket is destroyed by then, or is about to be, and the peer is gone. */
const ignoreSocketError = (): void => {};

/**
 * Sets the timeouts, answers client errors, and (with `onUpgrade`) takes upgrades with an error
 * listener already on the socket. Call once, before `listen`.
 */
export function guardServerSockets(server: Server, onUpgrade?: UpgradeHandler): void {
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', ignoreSocketError);
    // A peer that reset or hung up reads nothing; a bad request gets its status once, then the socket closes.
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.once('finish', () => socket.destroy());
  });
  if (onUpgrade === undefined) return;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', ignoreSocketError);
    try {
      onUpgrade(req, socket, head);
    } catch {
      socket.destroy();
    }
  });
}

/**
 * Answers an upgrade it will not take with an HTTP status on the raw socket and closes it once
 * the answer is written (the peer may never close its side). Never throws, whatever the peer does.
 */
export function refuseUpgrade(socket: Duplex, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  socket.on('error', ignoreSocketError);
  if (!socket.writable) return void socket.destroy();
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
