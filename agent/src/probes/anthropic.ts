/**
 * Anthropic Messages streaming (`POST /v1/messages`, `stream: true`): `event: X` / `data: {...}`
 * pairs: message_start (input usage), content_block_start/delta/stop, ping, message_delta
 * (cumulative output usage), message_stop, and `error` events inside a 200 stream. The live API
 * pads JSON with spaces before the last `}`; JSON.parse takes that as it is.
 */
import { count, endpointUrl, parseJson, readError } from './provider.ts';
import type { ProviderAdapter, RequestInputs, WireRequest } from './provider.ts';
import { SseStreamParser } from './sse-stream-parser.ts';
import type { SseItem } from './sse.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Parser of a Messages SSE stream. */
export class AnthropicParser extends SseStreamParser {

  protected override items(items: SseItem[]): number {
    let content = 0;
    for (const item of items) {
      if (item.type === 'comment') continue;
      if (item.type === 'raw') {
        const err = readError(parseJson(item.text, this.tally)?.error);
        if (err) this.tally.fail(err);
        continue;
      }
      const msg = parseJson(item.data, this.tally);
      if (msg === null) continue;
      const type = typeof msg.type === 'string' ? msg.type : item.event;
      switch (type) {
        case 'message_start': {
          const m = msg.message as Record<string, unknown> | undefined;
          this.usage(m?.usage);
          break;
        }
        case 'content_block_delta':
          if (hasContent(msg.delta)) {
            content++;
            const d = msg.delta as Record<string, unknown>;
            if (typeof d.text === 'string') this.tally.keep(d.text);
            else if (typeof d.partial_json === 'string') this.tally.keep(d.partial_json);
          }
          break;
        case 'message_delta':
          this.usage(msg.usage);
          break;
        case 'message_stop':
          this.tally.done = true;
          break;
        case 'error':
          this.tally.fail(readError(msg.error) ?? { message: item.data });
          break;
        default:
          // ping, content_block_start/stop and event types added later carry no timing.
          break;
      }
    }
    return content;
  }

  private usage(u: unknown): void {
    if (u === null || typeof u !== 'object') return;
    const usage = u as Record<string, unknown>;
    const input = count(usage.input_tokens);
    // Cached prompt tokens are input the model read; Anthropic reports them apart.
    if (input !== null) this.tally.inputTokens = input + (count(usage.cache_creation_input_tokens) ?? 0) + (count(usage.cache_read_input_tokens) ?? 0);
    const output = count(usage.output_tokens);
    if (output !== null) this.tally.outputTokens = output;
  }
}

function hasContent(delta: unknown): boolean {
  if (delta === null || typeof delta !== 'object') return false;
  const d = delta as Record<string, unknown>;
  for (const k of ['text', 'partial_json', 'thinking'] as const) {
    const v = d[k];
    if (typeof v === 'string' && v.length > 0) return true;
  }
  return false;
}

/** Anthropic's API. The key travels only in `x-api-key`. */
export const anthropicAdapter: ProviderAdapter = {
  name: 'anthropic',
  genAiProvider: 'anthropic',
  defaultUrl: 'https://api.anthropic.com/v1/messages',
  needsKey: true,
  buildRequest(i: RequestInputs): WireRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream', 'anthropic-version': ANTHROPIC_VERSION };
    if (i.key !== null) headers['x-api-key'] = i.key;
    const body = JSON.stringify({ model: i.model, max_tokens: i.maxTokens, stream: true, messages: [{ role: 'user', content: i.prompt }] });
    return { url: endpointUrl(i.url, '/v1/messages', i.model), headers, body };
  },
  createParser: () => new AnthropicParser(),
};
