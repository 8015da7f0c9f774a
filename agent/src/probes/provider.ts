/**
 * What a provider file supplies: how to build its streaming request, and a pure parser of its
 * stream. The timed I/O around them is shared (`http-probe.ts`), so a provider file holds only
 * its wire format and is tested on recorded streams without a socket.
 */
import type { ServerTimings } from './probe.ts';

/** The request a probe sends. `url` is final (path and query included). */
export interface WireRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Inputs of `buildRequest`. `key` is null for endpoints that need none (a local Ollama). */
export interface RequestInputs {
  readonly url: string;
  readonly model: string;
  readonly key: string | null;
  readonly prompt: string;
  readonly maxTokens: number;
}

/** An error the provider reported inside a 200 stream. */
export interface InBandError {
  readonly message: string;
  readonly code?: string | number;
}

/**
 * What a parser has learnt so far. Usage fields hold the provider's own counts: the last value
 * seen wins, since several providers repeat and grow them during the stream.
 */
export class StreamTally {
  inputTokens: number | null = null;
  outputTokens: number | null = null;
  /** The provider's end marker was seen ([DONE], message_stop, done:true, a finishReason). */
  done = false;
  error: InBandError | null = null;
  /** Set when the stream was not in the provider's format; the first offending text, short. */
  invalid: string | null = null;
  server: ServerTimings | undefined = undefined;
  /** The completion's text deltas, kept only when a caller asked (a benchmark's checks); else null. */
  text: string[] | null = null;

  fail(error: InBandError): void {
    if (this.error === null) this.error = { ...error, message: error.message.slice(0, 300) };
  }
  /** Keeps a text delta when text is being captured; a no-op otherwise. */
  keep(delta: string): void {
    if (this.text !== null && delta.length > 0) this.text.push(delta);
  }
  reject(text: string): void {
    if (this.invalid === null) this.invalid = text.slice(0, 200);
  }
}

/**
 * A provider's stream parser: pure, incremental. `push` and `end` return how many content chunks
 * the text completed, so the caller can stamp each with the arrival time of that text.
 */
export interface StreamParser {
  push(text: string): number;
  end(): number;
  readonly tally: StreamTally;
}

/** One provider's wire format. */
export interface ProviderAdapter {
  /** Config-level name (`openai`). */
  readonly name: string;
  /** Default `gen_ai.provider.name` for its series. */
  readonly genAiProvider: string;
  /** Endpoint used when the target names no URL. */
  readonly defaultUrl: string | null;
  /** Whether the endpoint refuses requests without a key. */
  readonly needsKey: boolean;
  buildRequest(inputs: RequestInputs): WireRequest;
  createParser(): StreamParser;
}

/**
 * The endpoint URL, and `{model}` in it replaced by the model (Gemini puts the model in the path):
 *
 *   http://host:8000                       → http://host:8000/v1/chat/completions   (a bare origin)
 *   http://host:8000/v1, http://h/openai/v1 → …/v1/chat/completions                 (a base URL, as the SDKs take it)
 *   http://host:8000/v1/chat/completions   → as given                              (the endpoint itself)
 *
 * A base URL is one whose path ends with the first segment of the standard `path` (`/v1`, `/api`).
 */
export function endpointUrl(url: string, path: string, model: string): string {
  const u = new URL(url);
  const given = u.pathname.replace(/\/+$/, '');
  const first = /^\/[^/?]+/.exec(path)?.[0];
  const [stdPath, stdQuery] = path.split('?') as [string, string | undefined];
  const query = [u.search.slice(1), stdQuery].filter(Boolean).join('&');
  let withPath = url;
  if (given === '') withPath = `${u.origin}${path}${u.search}`;
  else if (first !== undefined && given.endsWith(first) && given !== stdPath) withPath = `${u.origin}${given}${stdPath.slice(first.length)}${query ? `?${query}` : ''}`;
  return withPath.replace(/\{model\}|%7Bmodel%7D/g, encodeURIComponent(model));
}

/** A non-negative integer from a JSON field, else null. */
export function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** Parses one JSON payload, recording invalid text on the tally. */
export function parseJson(text: string, tally: StreamTally): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  tally.reject(text);
  return null;
}

/** An `error` member as providers send it: a string, or an object with `message` and a code. */
export function readError(e: unknown): InBandError | null {
  if (typeof e === 'string') return { message: e };
  if (e === null || typeof e !== 'object') return null;
  const o = e as Record<string, unknown>;
  const message = typeof o.message === 'string' ? o.message : JSON.stringify(e).slice(0, 300);
  const code = typeof o.code === 'string' || typeof o.code === 'number' ? o.code : typeof o.type === 'string' ? o.type : typeof o.status === 'string' ? o.status : undefined;
  return code === undefined ? { message } : { message, code };
}
