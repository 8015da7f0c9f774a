/**
 * Ollama's native streaming API (`POST /api/chat`, NDJSON): one object per line with
 * `message.content` (or `response` on /api/generate), then a final `done: true` line carrying
 * `prompt_eval_count`, `eval_count` and durations in nanoseconds, any of which may be missing
 * (cloud models drop the durations; a cached prompt drops prompt_eval_count). Errors arrive as
 * `{"error": "..."}`, also in the middle of a 200 stream.
 */
import { count, endpointUrl, readError, StreamTally } from './provider.ts';
import type { ProviderAdapter, RequestInputs, StreamParser, WireRequest } from './provider.ts';
import { NdjsonParser } from './ndjson.ts';
import type { NdjsonItem } from './ndjson.ts';
import type { ServerTimings } from './probe.ts';

/** Parser of an /api/chat or /api/generate NDJSON stream. */
export class OllamaParser implements StreamParser {
  readonly tally = new StreamTally();
  private readonly lines = new NdjsonParser();

  push(text: string): number {
    return this.items(this.lines.push(text));
  }

  end(): number {
    return this.items(this.lines.end());
  }

  private items(items: NdjsonItem[]): number {
    let content = 0;
    for (const item of items) {
      if (!item.ok) {
        this.tally.reject(item.text);
        continue;
      }
      if (item.value === null || typeof item.value !== 'object') {
        this.tally.reject(JSON.stringify(item.value));
        continue;
      }
      const o = item.value as Record<string, unknown>;
      const err = readError(o.error);
      if (err) this.tally.fail(err);
      const message = o.message as Record<string, unknown> | undefined;
      const text = typeof message?.content === 'string' ? message.content : typeof o.response === 'string' ? o.response : '';
      const thinking = typeof message?.thinking === 'string' ? message.thinking : typeof o.thinking === 'string' ? o.thinking : '';
      if (text.length > 0 || thinking.length > 0) content++;
      this.tally.keep(text);
      if (o.done === true) {
        this.tally.done = true;
        this.tally.inputTokens = count(o.prompt_eval_count) ?? this.tally.inputTokens;
        this.tally.outputTokens = count(o.eval_count) ?? this.tally.outputTokens;
        this.tally.server = serverTimings(o);
      }
    }
    return content;
  }
}

function serverTimings(o: Record<string, unknown>): ServerTimings {
  const ms = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v / 1e6 : undefined);
  const out: { loadMs?: number; promptEvalMs?: number; evalMs?: number; totalMs?: number } = {};
  const load = ms(o.load_duration);
  const prompt = ms(o.prompt_eval_duration);
  const evalMs = ms(o.eval_duration);
  const total = ms(o.total_duration);
  if (load !== undefined) out.loadMs = load;
  if (prompt !== undefined) out.promptEvalMs = prompt;
  if (evalMs !== undefined) out.evalMs = evalMs;
  if (total !== undefined) out.totalMs = total;
  return out;
}

/** A local or remote Ollama. No key by default; a key, when set, goes in Authorization. */
export const ollamaAdapter: ProviderAdapter = {
  name: 'ollama',
  genAiProvider: 'ollama',
  defaultUrl: 'http://127.0.0.1:11434/api/chat',
  needsKey: false,
  buildRequest(i: RequestInputs): WireRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/x-ndjson' };
    if (i.key !== null) headers.authorization = `Bearer ${i.key}`;
    const body = JSON.stringify({ model: i.model, stream: true, messages: [{ role: 'user', content: i.prompt }], options: { num_predict: i.maxTokens } });
    return { url: endpointUrl(i.url, '/api/chat', i.model), headers, body };
  },
  createParser: () => new OllamaParser(),
};
