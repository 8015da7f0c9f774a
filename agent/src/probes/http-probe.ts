/**
 * A probe of one HTTP provider: the provider's request and parser (`ProviderAdapter`) around the
 * timed transport. Every content chunk is stamped with the arrival time of the bytes that
 * completed it; TTFT is the first stamp, chunk gaps the differences. A 2xx stream is read to its
 * end (or its caps) and judged by what the parser saw; a non-2xx body is kept (64 KiB at most)
 * only to classify it and to read a retry hint.
 */
import type { Agent } from 'node:http';
import { redact, registerSecret } from '@sigmascope/protocol/log';
import { classifyHttpFailure, errorBodyMessage, ErrorType, retryAfterMs } from './error-type.ts';
import type { ErrorType as ErrorTypeValue } from './error-type.ts';
import { timedRequest } from './http-transport.ts';
import type { TransportOutcome } from './http-transport.ts';
import { costUsd } from './prices.ts';
import type { PriceTable } from './prices.ts';
import type { Probe, ProbeRequest, ProbeResult } from './probe.ts';
import type { ProviderAdapter } from './provider.ts';

/** Caps of one run. */
export interface ProbeLimits {
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxBytes: number;
}

export interface HttpProbeOptions {
  readonly adapter: ProviderAdapter;
  readonly url: string;
  readonly model: string;
  /** `gen_ai.provider.name` of the series; the adapter's default when absent. */
  readonly genAiProvider?: string;
  /** Returns the key at run time (so a key set later is picked up); null when none. */
  readonly key: () => string | null;
  readonly limits: ProbeLimits;
  readonly prices: PriceTable;
  /** Keep-alive pool the runs reuse connections from (benchmarks); absent, each run connects afresh. */
  readonly agent?: Agent;
  readonly now?: () => number;
  readonly wallClock?: () => number;
}

const ERROR_BODY_CAP = 64 * 1024;

/** Creates the probe; no I/O until `run`. */
export function createHttpProbe(o: HttpProbeOptions): Probe {
  const now = o.now ?? (() => performance.now());
  const wall = o.wallClock ?? Date.now;
  return {
    provider: o.adapter.name,
    genAiProvider: o.genAiProvider ?? o.adapter.genAiProvider,
    model: o.model,
    async run(req: ProbeRequest): Promise<ProbeResult> {
      const startedAt = wall();
      const key = o.key();
      // Whoever handed us the key, it is masked from here on: providers echo keys in error bodies.
      if (key !== null) registerSecret(key);
      const wire = o.adapter.buildRequest({ url: o.url, model: o.model, key, prompt: req.prompt, maxTokens: req.maxTokens });
      const parser = o.adapter.createParser();
      if (req.captureText === true) parser.tally.text = [];
      const decoder = new TextDecoder();
      const stamps: number[] = [];
      let ok2xx = false;
      let errorBody = '';
      const stamp = (n: number, at: number): void => {
        for (let i = 0; i < n; i++) stamps.push(at);
      };
      const outcome: TransportOutcome = await timedRequest({
        url: wire.url, headers: wire.headers, body: wire.body, ...o.limits, now,
        ...(o.agent ? { agent: o.agent } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        onResponse(status) {
          ok2xx = status >= 200 && status < 300;
        },
        onData(chunk, at) {
          if (!ok2xx) {
            if (errorBody.length < ERROR_BODY_CAP) errorBody += decoder.decode(chunk, { stream: true }).slice(0, ERROR_BODY_CAP - errorBody.length);
            return errorBody.length < ERROR_BODY_CAP;
          }
          stamp(parser.push(decoder.decode(chunk, { stream: true })), at);
          // An error inside the stream ends the measurement; the rest is noise.
          return parser.tally.error === null;
        },
      });
      if (ok2xx) stamp(parser.end(), outcome.timings.endMs);
      const tally = parser.tally;

      let status: ProbeResult['status'] = 'ok';
      let errorType: ErrorTypeValue | null = null;
      let message: string | null = null;
      let retryAfter: number | null = null;
      const httpStatus = outcome.status;
      if (!outcome.ok) {
        errorType = outcome.errorType;
        status = outcome.errorType === ErrorType.timeout ? 'timeout' : 'failed';
        message = outcome.message;
      } else if (!ok2xx) {
        errorType = classifyHttpFailure(outcome.status, errorBody);
        status = 'failed';
        message = `HTTP ${outcome.status}: ${errorBodyMessage(errorBody)}`;
        retryAfter = retryAfterMs(outcome.headers, errorBody, wall());
      } else if (tally.error !== null) {
        errorType = ErrorType.streamError;
        status = 'failed';
        message = `error inside the stream${tally.error.code !== undefined ? ` (${tally.error.code})` : ''}: ${tally.error.message}`;
      } else if (tally.invalid !== null) {
        errorType = ErrorType.invalidResponse;
        status = 'failed';
        message = `not a ${o.adapter.name} stream: ${tally.invalid}`;
      } else if (!tally.done) {
        errorType = ErrorType.streamError;
        status = 'failed';
        message = 'the stream ended before its end marker';
      }

      const ttft = stamps[0] ?? null;
      const gaps: number[] = [];
      for (let i = 1; i < stamps.length; i++) gaps.push((stamps[i] as number) - (stamps[i - 1] as number));
      const end = outcome.timings.endMs;
      const tokensPerS = tally.outputTokens !== null && ttft !== null && end - ttft > 0 && stamps.length > 1 ? tally.outputTokens / ((end - ttft) / 1000) : null;
      const result: ProbeResult = {
        status, errorType, httpStatus,
        message: message === null ? null : redact(message).slice(0, 300),
        retryAfterMs: retryAfter,
        startedAt,
        timings: { dnsMs: outcome.timings.dnsMs, connectMs: outcome.timings.connectMs, tlsMs: outcome.timings.tlsMs, sentMs: outcome.timings.sentMs, ttfbMs: outcome.timings.ttfbMs, ttftMs: ttft, totalMs: end },
        chunks: stamps.length,
        chunkGapsMs: gaps,
        inputTokens: tally.inputTokens,
        outputTokens: tally.outputTokens,
        tokensPerS,
        costUsd: costUsd(o.prices, o.model, tally.inputTokens, tally.outputTokens),
        bytesRead: outcome.bytes,
        ...(tally.server ? { server: tally.server } : {}),
        ...(tally.text !== null ? { text: tally.text.join('') } : {}),
      };
      return result;
    },
  };
}
