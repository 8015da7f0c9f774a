/**
 * A local LLM provider for tests (test code, loopback only). It speaks each provider's exact wire
 * format by replaying recorded bodies from the shared fixtures, piece by piece (one SSE event or
 * one NDJSON line per write) on a controlled schedule measured from the moment the request body
 * has arrived, and it plays the failure modes probes must survive:
 *
 *   replay    the fixture body; `firstAtMs` + `gapMs` (or explicit `atMs`) per piece; `stallAfter`
 *             sends that many pieces and then goes silent with the connection open; `plan` picks
 *             `firstAtMs` and `gapMs` per request (a known latency distribution for benchmarks)
 *   error     a status, headers (retry-after or not) and a recorded error body
 *   endless   a valid OpenAI stream that never ends
 *   huge      a 200 stream of `bytes` bytes, produced lazily as the client reads
 *   echo-key  a 401 whose body and headers repeat the caller's key (plain, base64, hex)
 *   static    a fixed body for GET routes (Prometheus /metrics, Ollama /api/ps)
 *
 * Every scenario gets its own base URL (`add` returns it); every request is recorded with its
 * headers, body, and the server-side times (performance.now() of this process) of each write.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Scenario =
  | { kind: 'replay'; body: string; status?: number; headers?: Record<string, string>; headersAtMs?: number; firstAtMs?: number; gapMs?: number; atMs?: number[]; stallAfter?: number; plan?: (req: EmulatedRequest) => { firstAtMs: number; gapMs: number } }
  | { kind: 'error'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'endless'; everyMs: number }
  | { kind: 'huge'; bytes: number }
  | { kind: 'echo-key' }
  | { kind: 'static'; body: string; contentType?: string; status?: number };

export interface EmulatedRequest {
  readonly scenario: string;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** The connection it came on, numbered from 1 in the order this server accepted them. */
  readonly connection: number;
  /** performance.now() when the request arrived (its head read): the earliest this server knows of it. */
  readonly arrivedAt: number;
  /** performance.now() when the request body had fully arrived: the schedule's zero. */
  readonly receivedAt: number;
  headersSentAt: number | null;
  /** performance.now() just before each piece was written. */
  readonly writes: number[];
  /** The pieces, in order (what the client should have seen). */
  readonly pieces: string[];
  bytesSent: number;
  closedByClient: boolean;
}

export interface Emulator {
  readonly origin: string;
  readonly requests: EmulatedRequest[];
  /** Registers a scenario; returns its base URL (append the provider's path). */
  add(scenario: Scenario): string;
  close(): Promise<void>;
}

/** Splits a body into what a server writes at once: SSE events (with their separator) or NDJSON lines. */
export function pieces(body: string): string[] {
  const sse = /(^|\n)(data|event|:)/.test(body);
  const re = sse ? /[\s\S]*?(\r\n\r\n|\n\n|\r\r)/g : /[^\n]*\n/g;
  const out: string[] = [];
  let last = 0;
  for (const m of body.matchAll(re)) {
    if (m[0].length === 0) continue;
    out.push(m[0]);
    last = (m.index ?? 0) + m[0].length;
  }
  if (last < body.length) out.push(body.slice(last));
  return out;
}

/** Waits until performance.now() ≥ target: a timer to 1 ms before, then yielding turns for precision. */
async function until(target: number, alive: () => boolean): Promise<void> {
  const early = target - performance.now() - 1.5;
  if (early > 0) await new Promise((r) => setTimeout(r, early));
  while (alive() && performance.now() < target) await new Promise((r) => setImmediate(r));
}

/** Starts the emulator on 127.0.0.1 and an ephemeral port. */
export async function startProviderEmulator(): Promise<Emulator> {
  const scenarios = new Map<string, Scenario>();
  const requests: EmulatedRequest[] = [];
  const sockets = new Set<Socket>();
  const connections = new WeakMap<Socket, number>();
  let accepted = 0;
  let closed = false;

  const server = http.createServer((req, res) => {
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/s\/(\d+)(\/.*)?$/.exec((req.url ?? '').split('?')[0] ?? '');
      const scenario = m ? scenarios.get(m[1] as string) : undefined;
      if (!m || !scenario) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such scenario"}');
      const rec: EmulatedRequest = {
        scenario: m[1] as string, method: req.method ?? '', path: m[2] ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'),
        connection: connections.get(req.socket) ?? 0, arrivedAt, receivedAt: performance.now(), headersSentAt: null, writes: [], pieces: [], bytesSent: 0, closedByClient: false,
      };
      requests.push(rec);
      res.on('close', () => (rec.closedByClient = !res.writableFinished));
      void serve(scenario, rec, res).catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    connections.set(s, ++accepted);
    s.on('close', () => sockets.delete(s));
  });

  const alive = (res: ServerResponse): boolean => !closed && !res.destroyed;
  // Stamped just before the write, so a stamp is never later than the bytes left: a client's own
  // stamp of their arrival can then be compared as a bound, however the two processes are scheduled.
  const write = (res: ServerResponse, rec: EmulatedRequest, piece: string): boolean => {
    rec.writes.push(performance.now());
    const more = res.write(piece);
    rec.pieces.push(piece);
    rec.bytesSent += Buffer.byteLength(piece);
    return more;
  };
  const head = (res: ServerResponse, rec: EmulatedRequest, status: number, headers: Record<string, string>): void => {
    rec.headersSentAt = performance.now();
    res.writeHead(status, headers);
    res.flushHeaders();
  };

  async function serve(s: Scenario, rec: EmulatedRequest, res: ServerResponse): Promise<void> {
    switch (s.kind) {
      case 'static':
        head(res, rec, s.status ?? 200, { 'content-type': s.contentType ?? 'text/plain; version=0.0.4' });
        res.end(s.body);
        return;
      case 'error':
        head(res, rec, s.status, { 'content-type': 'application/json', ...s.headers });
        write(res, rec, s.body);
        res.end();
        return;
      case 'echo-key': {
        const auth = String(rec.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        const key = auth || String(rec.headers['x-api-key'] ?? rec.headers['x-goog-api-key'] ?? '');
        const b64 = Buffer.from(key).toString('base64');
        const hex = Buffer.from(key).toString('hex');
        head(res, rec, 401, { 'content-type': 'application/json', 'x-echo-key': key, 'www-authenticate': `Bearer realm="${key}"` });
        write(res, rec, JSON.stringify({ error: { message: `Incorrect API key provided: ${key} (base64 ${b64}, hex ${hex}). Find your key at ?key=${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
        res.end();
        return;
      }
      case 'replay': {
        const ps = pieces(s.body);
        const timing = s.plan?.(rec) ?? { firstAtMs: s.firstAtMs ?? 0, gapMs: s.gapMs ?? 0 };
        const at = s.atMs ?? ps.map((_, i) => timing.firstAtMs + i * timing.gapMs);
        await until(rec.receivedAt + (s.headersAtMs ?? 0), () => alive(res));
        if (!alive(res)) return;
        head(res, rec, s.status ?? 200, { 'content-type': /^\s*[{[]/.test(s.body) && !/\ndata:/.test(s.body) ? 'application/x-ndjson' : 'text/event-stream', ...s.headers });
        const n = s.stallAfter ?? ps.length;
        for (let i = 0; i < Math.min(n, ps.length); i++) {
          await until(rec.receivedAt + (at[i] ?? 0), () => alive(res));
          if (!alive(res)) return;
          write(res, rec, ps[i] as string);
        }
        if (s.stallAfter === undefined) res.end();
        return;
      }
      case 'endless': {
        head(res, rec, 200, { 'content-type': 'text/event-stream' });
        for (let i = 0; alive(res); i++) {
          write(res, rec, `data: {"id":"chatcmpl-endless","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tick ${i} "},"finish_reason":null}]}\n\n`);
          await new Promise((r) => setTimeout(r, s.everyMs));
        }
        return;
      }
      case 'huge': {
        head(res, rec, 200, { 'content-type': 'text/event-stream' });
        const line = `data: {"choices":[{"index":0,"delta":{"content":"${'x'.repeat(16_000)}"}}]}\n\n`;
        while (alive(res) && rec.bytesSent < s.bytes) {
          // Lazily: only as fast as the client reads, so 1 GiB is never in memory.
          if (!write(res, rec, line)) await new Promise<void>((r) => { res.once('drain', r); res.once('close', r); });
        }
        if (alive(res)) res.end();
        return;
      }
    }
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  let next = 1;
  return {
    origin,
    requests,
    add(s) {
      const id = String(next++);
      scenarios.set(id, s);
      return `${origin}/s/${id}`;
    },
    async close() {
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
