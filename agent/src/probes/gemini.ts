/**
 * Gemini `streamGenerateContent?alt=sse`: `data:` events separated by `\r\n\r\n`, no `event:`
 * lines, no [DONE]; `usageMetadata` in every chunk (the last one wins, `candidatesTokenCount`
 * only near the end); the end is a candidate's `finishReason`. Failures seen in captures: a
 * `promptFeedback.blockReason` with no candidates, and a raw JSON error appended without a
 * `data:` prefix after events that already said STOP.
 */
import { count, endpointUrl, parseJson, readError } from './provider.ts';
import type { ProviderAdapter, RequestInputs, WireRequest } from './provider.ts';
import { SseStreamParser } from './sse-stream-parser.ts';
import type { SseItem } from './sse.ts';

/** Parser of a streamGenerateContent SSE stream. */
export class GeminiParser extends SseStreamParser {

  protected override items(items: SseItem[]): number {
    let content = 0;
    for (const item of items) {
      if (item.type === 'comment') continue;
      const j = parseJson(item.type === 'raw' ? item.text : item.data, this.tally);
      if (j === null) continue;
      content += this.chunk(j);
    }
    return content;
  }

  private chunk(j: Record<string, unknown>): number {
    const err = readError(j.error);
    if (err) this.tally.fail(err);
    const feedback = j.promptFeedback as Record<string, unknown> | undefined;
    if (feedback && typeof feedback.blockReason === 'string') this.tally.fail({ message: `prompt blocked: ${feedback.blockReason}`, code: feedback.blockReason });
    const usage = j.usageMetadata as Record<string, unknown> | undefined;
    if (usage && typeof usage === 'object') {
      this.tally.inputTokens = count(usage.promptTokenCount) ?? this.tally.inputTokens;
      const candidates = count(usage.candidatesTokenCount);
      const thoughts = count(usage.thoughtsTokenCount);
      // Thinking tokens are generated and billed as output, as OpenAI's completion_tokens counts reasoning.
      if (candidates !== null || thoughts !== null) this.tally.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
    }
    let content = 0;
    const candidates = Array.isArray(j.candidates) ? (j.candidates as unknown[]) : [];
    for (const c of candidates) {
      if (c === null || typeof c !== 'object') continue;
      const cand = c as Record<string, unknown>;
      if (typeof cand.finishReason === 'string') this.tally.done = true;
      const parts = (cand.content as Record<string, unknown> | undefined)?.parts;
      if (!Array.isArray(parts)) continue;
      for (const p of parts) {
        const text = p !== null && typeof p === 'object' ? (p as { text?: unknown; thought?: unknown }).text : undefined;
        if (typeof text !== 'string' || text.length === 0) continue;
        content = 1;
        if ((p as { thought?: unknown }).thought !== true) this.tally.keep(text);
      }
    }
    return content;
  }
}

/** Google's Gemini API. The key travels only in `x-goog-api-key`, never in the URL. */
export const geminiAdapter: ProviderAdapter = {
  name: 'gemini',
  genAiProvider: 'gcp.gemini',
  defaultUrl: 'https://generativelanguage.googleapis.com/v1beta/models/{model}:streamGenerateContent?alt=sse',
  needsKey: true,
  buildRequest(i: RequestInputs): WireRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (i.key !== null) headers['x-goog-api-key'] = i.key;
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: i.prompt }] }], generationConfig: { maxOutputTokens: i.maxTokens } });
    return { url: endpointUrl(i.url, '/v1beta/models/{model}:streamGenerateContent?alt=sse', i.model), headers, body };
  },
  createParser: () => new GeminiParser(),
};
