/**
 * A hand-driven agent connection for protocol tests: speaks the real codec over a real WebSocket,
 * and lets a test send arbitrary bytes and count what comes back.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeFrame } from '../../protocol/src/codec.ts';
import type { CollectorFrame, Frame } from '../../protocol/src/frames.ts';

export interface WsAgent {
  readonly ws: WebSocket;
  readonly received: CollectorFrame[];
  send(frame: Frame | Uint8Array): void;
  /** Waits until `count` frames have been received in total. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens a connection; resolves on open, rejects with the HTTP status of a refused upgrade. */
export function connectAgent(url: string, token: string | null, localAddress?: string): Promise<WsAgent> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` }, perMessageDeflate: false, maxPayload: 1 << 20, ...(localAddress ? { localAddress } : {}) });
    const received: CollectorFrame[] = [];
    const waiters: (() => void)[] = [];
    ws.on('message', (data: Buffer) => {
      const d = decodeFrame(data);
      if (d.ok) received.push(d.frame as CollectorFrame);
      for (const w of waiters.splice(0)) w();
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode} ${res.statusMessage ?? ''}`)));
    ws.on('error', (err) => reject(err));
    ws.on('open', () =>
      resolve({
        ws,
        received,
        send: (f) => ws.send(f instanceof Uint8Array ? f : encodeFrame(f)),
        waitFor: async (count, timeoutMs = 30_000) => {
          const deadline = Date.now() + timeoutMs;
          while (received.length < count) {
            if (Date.now() > deadline || ws.readyState !== WebSocket.OPEN) throw new Error(`got ${received.length} of ${count} frames (socket state ${ws.readyState})`);
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 200);
            });
          }
        },
        close: () => new Promise((r) => (ws.readyState === WebSocket.CLOSED ? r() : (ws.once('close', () => r()), ws.close()))),
      }),
    );
  });
}
