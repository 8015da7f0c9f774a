/**
 * OpenAI Chat Completions streaming (`POST /v1/chat/completions`, `stream: true`,
 * `stream_options.include_usage`): SSE `data:` chunks, then a usage chunk with `choices: []`,
 * then `data: [DONE]`. The parser is shared with OpenAI-compatible servers (vLLM, TGI,
 * llama.cpp, OpenRouter), whose quirks it also survives: comment lines, `usage: null` on every
 * chunk, reasoning deltas, llama.cpp's `timings`, and an `error` object inside a 200 stream.
 */
import { count, endpointUrl, parseJson, readError } from './provider.ts';
import type { ProviderAdapter, RequestInputs, WireRequest } from './provider.ts';
import { SseStreamParser } from './sse-stream-parser.ts';
import type { SseItem } from './sse.ts';

/** Parser of a Chat Completions SSE stream. */
export class ChatCompletionsParser extends SseStreamParser {
  private finished = false;

  override end(): number {
    const n = super.end();
    // Some compatible servers close after the finish_reason and usage chunks without [DONE].
    if (!this.tally.done && this.finished && this.tally.outputTokens !== null) this.tally.done = true;
    return n;
  }

  protected override items(items: SseItem[]): number {
    let content = 0;
    for (const item of items) {
      if (item.type === 'comment') continue;
      if (item.type === 'raw') {
        const j = parseJson(item.text, this.tally);
        const err = j ? readError(j.error ?? (j.object === 'error' ? j : undefined)) : null;
        if (err) this.tally.fail(err);
        continue;
      }
      const data = item.data.trim();
      if (data === '[DONE]') {
        this.tally.done = true;
        continue;
      }
      if (item.event === 'error') {
        this.tally.fail(readError(parseJson(data, this.tally)?.error) ?? { message: data });
        continue;
      }
      const chunk = parseJson(data, this.tally);
      if (chunk === null) continue;
      content += this.chunk(chunk);
    }
    return content;
  }

  private chunk(chunk: Record<string, unknown>): number {
    const err = readError(chunk.error ?? (chunk.object === 'error' ? chunk : undefined));
    if (err) this.tally.fail(err);
    const usage = chunk.usage as Record<string, unknown> | null | undefined;
    if (usage && typeof usage === 'object') {
      this.tally.inputTokens = count(usage.prompt_tokens) ?? this.tally.inputTokens;
      this.tally.outputTokens = count(usage.completion_tokens) ?? this.tally.outputTokens;
    }
    const timings = chunk.timings as Record<string, unknown> | undefined;
    if (timings && typeof timings === 'object' && this.tally.outputTokens === null) {
      this.tally.inputTokens = count(timings.prompt_n) ?? this.tally.inputTokens;
      this.tally.outputTokens = count(timings.predicted_n) ?? this.tally.outputTokens;
    }
    let content = 0;
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as unknown[]) : [];
    for (const c of choices) {
      if (c === null || typeof c !== 'object') continue;
      const choice = c as Record<string, unknown>;
      if (typeof choice.finish_reason === 'string') this.finished = true;
      const d = choice.delta as Record<string, unknown> | undefined;
      if (d && typeof d === 'object' && hasContent(d)) {
        content = 1;
        if (typeof d.content === 'string') this.tally.keep(d.content);
      }
    }
    return content;
  }
}

/** A delta carries output: text, a refusal, reasoning, or a tool call. The role-only first delta does not. */
function hasContent(d: Record<string, unknown>): boolean {
  for (const k of ['content', 'refusal', 'reasoning', 'reasoning_content'] as const) {
    const v = d[k];
    if (typeof v === 'string' && v.length > 0) return true;
  }
  return Array.isArray(d.tool_calls) && d.tool_calls.length > 0;
}

/** The request body every Chat Completions endpoint takes. */
export function chatCompletionsBody(model: string, prompt: string, maxTokens: number): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } });
}

/** OpenAI's API. The key travels only in the Authorization header. */
export const openaiAdapter: ProviderAdapter = {
  name: 'openai',
  genAiProvider: 'openai',
  defaultUrl: 'https://api.openai.com/v1/chat/completions',
  needsKey: true,
  buildRequest(i: RequestInputs): WireRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (i.key !== null) headers.authorization = `Bearer ${i.key}`;
    return { url: endpointUrl(i.url, '/v1/chat/completions', i.model), headers, body: chatCompletionsBody(i.model, i.prompt, i.maxTokens) };
  },
  createParser: () => new ChatCompletionsParser(),
};
