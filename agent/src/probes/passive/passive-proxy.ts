/**
 * The passive pass-through: an OpenAI-compatible endpoint on this host that forwards every
 * request to `upstream` unchanged and streams the answer back as it arrives, and times the
 * inference calls it carries (POST …/chat/completions and …/completions) as probe series
 * labelled `sigmascope.passive="true"`: TTFB, TTFT and every chunk gap on the monotonic clock,
 * end to end, and the token counts the server reports.
 *
 *   app ──▶ proxy ──▶ upstream          request body: read once to forward it; `model` and
 *   app ◀── proxy ◀── upstream          `stream` are looked at, nothing else is kept
 *               └─▶ samples             response: the SSE parser counts chunks and reads usage
 *
 * It never stores or logs prompt or completion text: the parser keeps no text, an error body is
 * read only to classify it, and the series carry the model name and nothing from the request.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@sigmascope/protocol/log';
import type { SampleSink } from '../../pipeline/sample-sink.ts';
import { classifyHttpFailure, ErrorType } from '../error-type.ts';
import type { ErrorType as ErrorTypeValue } from '../error-type.ts';
import { ChatCompletionsParser } from '../openai.ts';
import type { ProbeResult } from '../probe.ts';
import { recordProbeResult } from '../probe-record.ts';
import { count } from '../provider.ts';
import type { PassiveConfig } from './passive-config.ts';

/** Largest request body forwarded (a long prompt with images is a few MB). */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** Bytes of a non-streamed or error answer read to find its usage or its error type. */
const MAX_INSPECT_BYTES = 1024 * 1024;
/** Distinct model names that get their own label; later ones are "other" (labels are not free). */
const MAX_MODELS = 64;
const MODEL = /^[\w.:/@+-]{1,128}$/;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export interface PassiveProxy {
  readonly port: number;
  /** Inference calls timed so far. */
  readonly timed: () => number;
  stop(): Promise<void>;
}

function forwardHeaders(h: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** Reads `model` and `stream` from a JSON request body; nothing else is kept. */
function requestShape(body: Buffer): { model: string | null; stream: boolean } {
  try {
    const j = JSON.parse(body.toString('utf8')) as { model?: unknown; stream?: unknown };
    return { model: typeof j.model === 'string' && MODEL.test(j.model) ? j.model : null, stream: j.stream === true };
  } catch {
    return { model: null, stream: false };
  }
}

/** Starts the pass-through; resolves once it listens. */
export async function startPassiveProxy(config: PassiveConfig, deps: { sink: SampleSink; log: Logger; now?: () => number; wallClock?: () => number }): Promise<PassiveProxy> {
  const now = deps.now ?? (() => performance.now());
  const wall = deps.wallClock ?? Date.now;
  const upstream = new URL(config.upstream);
  const client = upstream.protocol === 'https:' ? https : http;
  const models = new Set<string>();
  let timed = 0;

  const modelLabel = (m: string | null): string => {
    if (m === null) return 'unknown';
    if (models.has(m) || models.size < MAX_MODELS) return (models.add(m), m);
    return 'other';
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const start = now();
    const startedAt = wall();
    const path = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : '/';
    // Only the path of the request is used: the upstream origin is fixed, so this is no open proxy.
    const target = new URL(`${upstream.pathname.replace(/\/$/, '')}${path}`, upstream.origin);
    const inference = req.method === 'POST' && /\/(chat\/)?completions$/.test(target.pathname);
    const shape = inference ? requestShape(body) : { model: null, stream: false };
    const parser = new ChatCompletionsParser();
    const decoder = new TextDecoder();
    const stamps: number[] = [];
    let inspected = '';
    let status = 0;
    let ttfb: number | null = null;
    let bytes = 0;
    let finished = false;

    const record = (errorType: ErrorTypeValue | null, ended: number): void => {
      if (!inference || finished) return;
      finished = true;
      let inputTokens = parser.tally.inputTokens;
      let outputTokens = parser.tally.outputTokens;
      if (!shape.stream && errorType === null) {
        try {
          const usage = (JSON.parse(inspected) as { usage?: Record<string, unknown> }).usage;
          inputTokens = count(usage?.prompt_tokens);
          outputTokens = count(usage?.completion_tokens);
        } catch {
          // An answer without usage: tokens unknown.
        }
      }
      inspected = '';
      const gaps = stamps.slice(1).map((t, i) => t - (stamps[i] as number));
      const ttft = stamps[0] ?? null;
      const result: ProbeResult = {
        status: errorType === null ? 'ok' : errorType === ErrorType.timeout ? 'timeout' : 'failed', errorType, httpStatus: status || null, message: null, retryAfterMs: null, startedAt,
        timings: { dnsMs: null, connectMs: null, tlsMs: null, sentMs: null, ttfbMs: ttfb, ttftMs: ttft, totalMs: ended },
        chunks: stamps.length, chunkGapsMs: gaps, inputTokens, outputTokens,
        tokensPerS: outputTokens !== null && ttft !== null && ended - ttft > 0 && stamps.length > 1 ? outputTokens / ((ended - ttft) / 1000) : null,
        costUsd: null, bytesRead: bytes,
      };
      timed++;
      recordProbeResult(deps.sink, { genAiProvider: config.genAiProvider, model: modelLabel(shape.model), demo: false, passive: true }, result);
    };

    const up = client.request(target, { method: req.method, headers: { ...forwardHeaders(req.headers), host: upstream.host, 'content-length': String(body.length) } }, (answer) => {
      status = answer.statusCode ?? 0;
      ttfb = now() - start;
      res.writeHead(status, forwardHeaders(answer.headers));
      const ok = status >= 200 && status < 300;
      const streamed = ok && shape.stream && /event-stream/.test(String(answer.headers['content-type'] ?? ''));
      answer.on('data', (chunk: Buffer) => {
        const at = now() - start;
        bytes += chunk.length;
        res.write(chunk);
        if (!inference) return;
        if (streamed) {
          const n = parser.push(decoder.decode(chunk, { stream: true }));
          for (let i = 0; i < n; i++) stamps.push(at);
        } else if (inspected.length < MAX_INSPECT_BYTES) inspected += decoder.decode(chunk, { stream: true });
      });
      answer.on('end', () => {
        const ended = now() - start;
        if (streamed) for (let i = parser.end(); i > 0; i--) stamps.push(ended);
        res.end();
        if (!ok) record(classifyHttpFailure(status, inspected), ended);
        else if (streamed && parser.tally.error !== null) record(ErrorType.streamError, ended);
        else if (streamed && !parser.tally.done) record(ErrorType.streamError, ended);
        else record(null, ended);
      });
      answer.on('error', () => {
        record(ErrorType.streamError, now() - start);
        res.destroy();
      });
    });
    up.on('error', (err) => {
      deps.log.warn('passive: upstream failed', { upstream: upstream.origin, error: (err as NodeJS.ErrnoException).code ?? err.message });
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'sigmascope passive: the upstream server did not answer', type: 'upstream_unreachable' } }));
      else res.destroy();
      record(ttfb === null ? ErrorType.connect : ErrorType.streamError, now() - start);
    });
    // The application went away: stop the upstream request too; what was timed is not a result.
    res.on('close', () => {
      if (!res.writableFinished) {
        finished = true;
        up.destroy();
      }
    });
    up.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `sigmascope passive: request bodies are limited to ${MAX_REQUEST_BYTES} bytes` } }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!res.headersSent) handle(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.port, config.host, resolve));
  const port = (server.address() as AddressInfo).port;
  deps.log.info('passive pass-through listening', { listen: `${config.host}:${port}`, upstream: upstream.origin });
  return {
    port,
    timed: () => timed,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
