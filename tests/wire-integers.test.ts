/**
 * `hello.clock` and `batch.t0` travel as MessagePack integers, as docs/protocol.md says (issue 11,
 * defect 7), not as float64. A real agent connects to a capture server on loopback (which
 * answers its hello with a welcome, as a collector does) and the test reads the type byte that
 * follows each key in the bytes the agent put on the wire.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { decodeFrame, encodeFrame } from '../protocol/src/codec.ts';
import { startAgent } from './support/fleet.ts';
import { killAll, stop, waitFor } from './support/processes.ts';

afterAll(() => killAll());

/** The MessagePack type byte of the value after the fixstr key `key` in `bytes`. */
function typeAfterKey(bytes: Uint8Array, key: string): number {
  const k = Buffer.concat([Buffer.from([0xa0 | key.length]), Buffer.from(key)]);
  const at = Buffer.from(bytes).indexOf(k);
  if (at < 0) throw new Error(`no key ${key}`);
  return bytes[at + k.length] as number;
}
const INT64 = [0xcf, 0xd3];

describe('integers on the wire', () => {
  it('sends hello.clock, status.clock and batch.t0 as int64, never float64', async () => {
    const frames: Buffer[] = [];
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/ingest' });
    wss.on('connection', (ws) => {
      ws.on('message', (data: Buffer) => {
        frames.push(data);
        if (frames.length === 1) ws.send(encodeFrame({ t: 'welcome', proto: 1, agentId: 'capture', lastSeq: 0, clock: Date.now() }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const agent = await startAgent({ collectorPort: port, token: 'sgs_a_capture-0000000000000000000000', name: 'wire' });
    const kind = (f: Buffer): string | undefined => {
      const d = decodeFrame(f);
      return d.ok ? d.frame.t : undefined;
    };
    const batch = await waitFor('a batch', () => frames.find((f) => kind(f) === 'batch'), 20_000, 50);
    const status = await waitFor('a status frame', () => frames.find((f) => kind(f) === 'status'), 20_000, 50);
    await stop(agent.proc);
    const hello = frames[0] as Buffer;
    expect(kind(hello)).toBe('hello');
    expect(INT64).toContain(typeAfterKey(status, 'clock'));
    expect(INT64).toContain(typeAfterKey(hello, 'clock'));
    expect(INT64).toContain(typeAfterKey(batch, 't0'));
    wss.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
});
