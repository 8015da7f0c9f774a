/**
 * A probe measures one LLM endpoint by sending one small streaming request and timing it.
 * Lifecycle:
 *
 *   create (factory: cheap, no I/O, validated target) → run() any number of times, never two at
 *   once → (no stop: an in-flight run ends when its AbortSignal fires)
 *
 * `run` never throws for anything the network or the provider can do: every expected failure
 * (refused connection, 429, a stall, an error inside a 200 stream) is a value with a stable
 * `errorType`. Scheduling, retry-after and backoff live in the runner, never in a probe.
 */
import type { ErrorType } from './error-type.ts';

/** What one run asks for. `prompt` already carries the run's nonce. */
export interface ProbeRequest {
  readonly prompt: string;
  readonly maxTokens: number;
  /** Aborts the run; the result is then `timeout` with the phase reached. */
  readonly signal?: AbortSignal;
  /** Keep the completion's text in the result (benchmark checks). Probes never ask: they store no text. */
  readonly captureText?: boolean;
}

/**
 * Times of one run in milliseconds on the monotonic clock. `dnsMs`, `connectMs`, `tlsMs` are the
 * durations of those phases (null when the phase did not happen: an IP literal, plain HTTP, or a
 * failure before it); `sentMs`, `ttfbMs`, `ttftMs`, `totalMs` are offsets from the start.
 */
export interface ProbeTimings {
  readonly dnsMs: number | null;
  readonly connectMs: number | null;
  readonly tlsMs: number | null;
  readonly sentMs: number | null;
  readonly ttfbMs: number | null;
  readonly ttftMs: number | null;
  readonly totalMs: number;
}

/** Server-side figures some providers report on their last line (Ollama), in ms. */
export interface ServerTimings {
  readonly loadMs?: number;
  readonly promptEvalMs?: number;
  readonly evalMs?: number;
  readonly totalMs?: number;
}

/** The outcome of one run. JSON-safe; `message` is already redacted and short. */
export interface ProbeResult {
  readonly status: 'ok' | 'failed' | 'timeout';
  readonly errorType: ErrorType | null;
  /** The HTTP status when response headers arrived. */
  readonly httpStatus: number | null;
  readonly message: string | null;
  /** How long the provider asked us to wait (retry-after, or a hint in a 429 body). */
  readonly retryAfterMs: number | null;
  /** Wall-clock start in ms since the epoch: the sample timestamp. */
  readonly startedAt: number;
  readonly timings: ProbeTimings;
  /** Content chunks received (text, refusal, tool-call or reasoning deltas). */
  readonly chunks: number;
  /** Gaps between consecutive content chunks, ms: one fewer than `chunks`. */
  readonly chunkGapsMs: readonly number[];
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** Output tokens per second after the first chunk, or null when not measurable. */
  readonly tokensPerS: number | null;
  readonly costUsd: number | null;
  readonly bytesRead: number;
  readonly server?: ServerTimings;
  /** The completion's text, only when the request asked for it. */
  readonly text?: string;
}

/** One configured endpoint. Labels of its series come from here. */
export interface Probe {
  /** Config-level provider name (`openai`, `demo`, ...). */
  readonly provider: string;
  /** `gen_ai.provider.name` of its series (`openai`, `gcp.gemini`, `vllm`, ...). */
  readonly genAiProvider: string;
  readonly model: string;
  /** Runs one probe. Never throws for network or provider failures. */
  run(request: ProbeRequest): Promise<ProbeResult>;
}
