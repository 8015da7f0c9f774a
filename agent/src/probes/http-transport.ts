/**
 * One timed HTTP exchange, on a fresh connection unless the caller hands it a keep-alive pool
 * (probes never do: every probe pays and measures DNS, connect and TLS; a benchmark reuses its
 * connections, and a request on a reused one has no such phases). Marks, on the monotonic clock:
 *
 *   start ─ dns ─ connect ─ tls ─ request sent ─ response headers (TTFB) ─ chunk … chunk ─ end
 *
 * Caps: `timeoutMs` for the whole exchange, `idleTimeoutMs` of silence once the response has
 * started, `maxBytes` of body. Never throws: every way it can end is an outcome value, and
 * whether to try again is the caller's decision, with one exception: the keep-alive race. A
 * server may close an idle pooled connection just as a request is written to it; the request
 * then fails on the reused connection (reset or closed before any byte of an answer) without the
 * server having seen it. That is no answer of the server's, so the request goes once more on a
 * new connection (as Node's documentation advises), and the timings are the second attempt's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorType } from './error-type.ts';

export interface TimedRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /**
   * Connection pool to reuse keep-alive connections from (a benchmark's requests to one target);
   * absent, the exchange opens and closes its own connection, as a probe must.
   */
  readonly agent?: http.Agent;
  /** Monotonic clock in ms; performance.now by default. */
  readonly now?: () => number;
  /** Called once when response headers arrive; `atMs` is the offset from the start. */
  onResponse?(status: number, headers: IncomingHttpHeaders, atMs: number): void;
  /** Called per body chunk with its arrival offset from the start. Returning false ends the exchange early, as complete. */
  onData?(chunk: Buffer, atMs: number): boolean | void;
}

/** Phase marks; null when the phase did not happen (IP literal, plain HTTP) or was not reached. */
export interface TransportTimings {
  readonly dnsMs: number | null;
  readonly connectMs: number | null;
  readonly tlsMs: number | null;
  readonly sentMs: number | null;
  readonly ttfbMs: number | null;
  readonly endMs: number;
}

export type TransportOutcome =
  | { readonly ok: true; readonly status: number; readonly headers: IncomingHttpHeaders; readonly bytes: number; readonly timings: TransportTimings }
  | {
      readonly ok: false;
      readonly errorType: 'timeout' | 'connect' | 'tls' | 'stream_error' | 'invalid_response';
      readonly message: string;
      readonly status: number | null;
      readonly headers: IncomingHttpHeaders | null;
      readonly bytes: number;
      readonly timings: TransportTimings;
    };

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** Performs one request; resolves once it has ended in any way. */
export async function timedRequest(r: TimedRequest): Promise<TransportOutcome> {
  const outcome = await exchange(r, false);
  if (outcome !== KEEP_ALIVE_RACE) return outcome;
  return (await exchange(r, true)) as TransportOutcome;
}

/** An exchange that failed on a reused connection before any answer, see timedRequest. */
const KEEP_ALIVE_RACE = Symbol('keep-alive race');
const RACE_CODES = new Set(['ECONNRESET', 'EPIPE']);

function exchange(r: TimedRequest, retried: boolean): Promise<TransportOutcome | typeof KEEP_ALIVE_RACE> {
  const now = r.now ?? (() => performance.now());
  const t0 = now();
  const u = new URL(r.url);
  const secure = u.protocol === 'https:';
  let lookupAt: number | null = null;
  let connectAt: number | null = null;
  let secureAt: number | null = null;
  let sentAt: number | null = null;
  let headersAt: number | null = null;
  let status: number | null = null;
  let headers: IncomingHttpHeaders | null = null;
  let bytes = 0;

  const timings = (): TransportTimings => ({
    dnsMs: lookupAt === null ? null : lookupAt - t0,
    connectMs: connectAt === null ? null : connectAt - (lookupAt ?? t0),
    tlsMs: secureAt === null || connectAt === null ? null : secureAt - connectAt,
    sentMs: sentAt === null ? null : sentAt - t0,
    ttfbMs: headersAt === null ? null : headersAt - t0,
    endMs: now() - t0,
  });

  return new Promise<TransportOutcome | typeof KEEP_ALIVE_RACE>((resolve) => {
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (o: TransportOutcome | typeof KEEP_ALIVE_RACE): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      clearTimeout(idle);
      r.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(o);
    };
    const fail = (errorType: Extract<TransportOutcome, { ok: false }>['errorType'], message: string): void =>
      finish({ ok: false, errorType, message, status, headers, bytes, timings: timings() });
    const phase = (): string => (headersAt !== null ? 'while streaming the body' : sentAt !== null ? 'waiting for response headers' : connectAt !== null ? 'sending the request' : 'connecting');

    const overall = setTimeout(() => fail(ErrorType.timeout, `no complete answer within ${r.timeoutMs} ms (${phase()})`), r.timeoutMs);
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => fail(ErrorType.timeout, `stream stalled: nothing for ${r.idleTimeoutMs} ms ${phase()}`), r.idleTimeoutMs);
    };
    const onAbort = (): void => fail(ErrorType.timeout, `aborted ${phase()}`);

    const body = r.body ?? '';
    const req = (secure ? https : http).request(u, {
      method: r.method ?? 'POST',
      headers: { ...r.headers, ...(r.method === 'GET' ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
      agent: r.agent ?? false,
    });
    req.on('socket', (s: Socket) => {
      s.setNoDelay(true);
      // A pooled connection arrives open: it has no phases to time, and listeners would pile up on it.
      if (!s.connecting) return;
      s.once('lookup', () => (lookupAt ??= now()));
      s.once('connect', () => (connectAt ??= now()));
      s.once('secureConnect', () => (secureAt ??= now()));
    });
    req.on('finish', () => (sentAt ??= now()));
    req.on('response', (res) => {
      headersAt = now();
      status = res.statusCode ?? 0;
      headers = res.headers;
      armIdle();
      r.onResponse?.(status, res.headers, headersAt - t0);
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        const at = now();
        bytes += chunk.length;
        if (bytes > r.maxBytes) return fail(ErrorType.invalidResponse, `response body exceeded ${r.maxBytes} bytes`);
        armIdle();
        if (r.onData?.(chunk, at - t0) === false) finish({ ok: true, status: status as number, headers: res.headers, bytes, timings: timings() });
      });
      res.on('end', () => finish({ ok: true, status: status as number, headers: res.headers, bytes, timings: timings() }));
      res.on('aborted', () => fail(ErrorType.streamError, 'connection closed in the middle of the response body'));
      res.on('error', (err) => fail(ErrorType.streamError, `response body: ${describe(err)}`));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (!retried && req.reusedSocket && headersAt === null && bytes === 0 && RACE_CODES.has(code)) finish(KEEP_ALIVE_RACE);
      else if (headersAt !== null) fail(ErrorType.streamError, `response body: ${describe(err)}`);
      else if (code.startsWith('HPE_')) fail(ErrorType.invalidResponse, `not an HTTP response: ${describe(err)}`);
      else if (TLS_CODES.test(code) || (secure && connectAt !== null && secureAt === null)) fail(ErrorType.tls, `TLS: ${describe(err)}`);
      else if (connectAt === null) fail(ErrorType.connect, `connect: ${describe(err)}`);
      else fail(ErrorType.streamError, `connection closed before response headers: ${describe(err)}`);
    });
    if (r.signal?.aborted) return onAbort();
    r.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}

function describe(err: NodeJS.ErrnoException): string {
  return err.code ? `${err.code} ${err.message}`.slice(0, 200) : err.message.slice(0, 200);
}

/**
 * One exchange over loopback with a throw-away local server, so that the first measured probe of
 * a process does not pay for lazy module loading and JIT of the HTTP client (measured: +10–15 ms
 * on TTFB and connect on the first request). Call once before the first measured run; cheap,
 * never throws.
 */
export async function warmUpTransport(): Promise<void> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {}\n\n');
    res.end('data: [DONE]\n\n');
  });
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < 3; i++) await timedRequest({ url: `http://127.0.0.1:${port}/`, body: '{}', timeoutMs: 2_000, idleTimeoutMs: 2_000, maxBytes: 1024, onData: () => {} });
  } catch {
    // Warm-up is an optimisation; a host that forbids loopback listeners still probes.
  } finally {
    server.close();
  }
}
