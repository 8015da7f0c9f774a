/**
 * A TCP relay between agents and a collector (test code) that can make every open link
 * half-open: both sockets stay open, nothing more is forwarded either way, nobody is told. That
 * is what a dead NAT entry or a pulled cable looks like to both ends. Links opened afterwards
 * are forwarded normally. It can also take the agents off the network: every link reset and
 * every new one refused until it is let through again.
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface TcpRelay {
  readonly port: number;
  /** Links opened so far. */
  readonly opened: () => number;
  /** Links currently open on the agent side (blackholed ones included until their peer gives up). */
  readonly open: () => number;
  /** Stops forwarding on every open link without closing it. */
  blackholeAll(): void;
  /** Resets every open link and refuses new ones until `restore()`: the agents are offline. */
  cutOff(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const links = new Set<{ a: Socket; c: Socket; dead: boolean }>();
  let opened = 0;
  let refusing = false;
  const server = createServer((a) => {
    if (refusing) return void a.resetAndDestroy();
    opened++;
    const c = connect(targetPort, '127.0.0.1');
    const link = { a, c, dead: false };
    links.add(link);
    a.on('data', (d) => { if (!link.dead) c.write(d); });
    c.on('data', (d) => { if (!link.dead) a.write(d); });
    const end = (): void => {
      links.delete(link);
      a.destroy();
      c.destroy();
    };
    // A blackholed link must not pass on a close either: only the peer's own timeout ends it.
    a.on('close', () => { if (!link.dead) end(); else { links.delete(link); c.destroy(); } });
    c.on('close', () => { if (!link.dead) end(); });
    a.on('error', () => {});
    c.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    opened: () => opened,
    open: () => links.size,
    blackholeAll: () => { for (const l of links) l.dead = true; },
    cutOff: () => {
      refusing = true;
      for (const l of links) { l.a.resetAndDestroy(); l.c.destroy(); }
    },
    restore: () => { refusing = false; },
    close: () => new Promise((resolve) => {
      for (const l of links) { l.a.destroy(); l.c.destroy(); }
      server.close(() => resolve());
    }),
  };
}
