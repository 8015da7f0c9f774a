// The transport floor of the ingest bench's offered phase: a WebSocket server with the
// collector's socket options that answers a connection's first frame with `welcome` and every
// later one with its `ack`, without decoding, validating or storing anything. What it costs to
// serve the same agents is what the collector cannot go below on this machine: socket reads,
// WebSocket framing, one ack write per frame, the event loop.
//
// Usage (by bench/ingest.mjs): node bench/support/ack-server.mjs CODEC_BUNDLE
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

const codec = await import(pathToFileURL(process.argv[2]).href);
const server = createServer();
const wss = new WebSocketServer({ server, path: '/ingest', maxPayload: 1 << 20, perMessageDeflate: false });
wss.on('connection', (ws) => {
  // Frames arrive in seq order from 1, so the n-th after the hello is seq n.
  let n = -1;
  ws.on('message', () => {
    n++;
    ws.send(codec.encodeFrame(n === 0 ? { t: 'welcome', proto: codec.PROTOCOL_VERSION, agentId: 'floor', lastSeq: 0, clock: Date.now() } : { t: 'ack', seq: n }));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
