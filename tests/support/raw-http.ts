/**
 * Raw TCP clients for attacks on the servers' sockets: send bytes, read part of the answer, then
 * reset the connection (RST, not FIN), as a hostile or broken peer does.
 */
import { connect } from 'node:net';

/** An HTTP/1.1 upgrade request to `path`, with a bearer token when given. */
export function upgradeRequest(path: string, token: string | null): string {
  return [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...(token === null ? [] : [`Authorization: Bearer ${token}`]),
    '',
    '',
  ].join('\r\n');
}

/**
 * Connects from `localAddress`, writes `request`, waits for the first bytes of the answer (or
 * `waitMs`), then resets. Resolves with the status line read ('' when nothing came).
 */
export function sendAndReset(port: number, request: string, localAddress = '127.0.0.1', waitMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    let first = '';
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    const done = (): void => {
      clearTimeout(timer);
      if (!socket.destroyed) socket.resetAndDestroy();
      resolve(first.split('\r\n')[0] ?? '');
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => socket.write(request));
    socket.once('data', (chunk: Buffer) => {
      first = chunk.toString('latin1');
      done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}
