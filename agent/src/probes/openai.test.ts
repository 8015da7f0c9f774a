import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { ChatCompletionsParser, openaiAdapter } from './openai.ts';

/** Feeds `text` in pieces of `size` characters (1 = every possible split point). */
function parse(text: string, size: number): { parser: ChatCompletionsParser; chunks: number } {
  const parser = new ChatCompletionsParser();
  let chunks = 0;
  for (let i = 0; i < text.length; i += size) chunks += parser.push(text.slice(i, i + size));
  chunks += parser.end();
  return { parser, chunks };
}

/** Independent count of content deltas: data lines whose delta has non-empty content, refusal or tool_calls. */
function contentDeltas(text: string): number {
  return text.split('\n').filter((l) => /"delta":\{[^}]*("content":"[^"]|"refusal":"[^"]|"tool_calls":\[\{)/.test(l)).length;
}

const CASES = [
  ['openai-python__chat-stream-text-with-usage-gpt-4o.sse', 14, 30],
  ['openai-python__chat-stream-refusal-gpt-4o.sse', 79, 11],
  ['openai-python__chat-stream-logprobs-gpt-4o.sse', 9, 2],
  ['openai-python__chat-stream-tool-call-gpt-4o.sse', 48, 19],
  ['pydantic-ai__chat-stream-include-usage-toolcall.1.body.sse', 53, 15],
  ['pydantic-ai__chat-stream-include-usage-toolcall.2.body.sse', 78, 9],
] as const;

describe('OpenAI chat completions stream parser', () => {
  for (const [file, input, output] of CASES) {
    it(`${file}: usage ${input}/${output}, every content delta, [DONE]`, () => {
      const text = readFileSync(fixture('providers', 'openai', file), 'utf8');
      for (const size of [1, 7, 64, text.length]) {
        const { parser, chunks } = parse(text, size);
        expect(parser.tally.inputTokens).toBe(input);
        expect(parser.tally.outputTokens).toBe(output);
        expect(parser.tally.done).toBe(true);
        expect(parser.tally.error).toBeNull();
        expect(parser.tally.invalid).toBeNull();
        expect(chunks).toBe(contentDeltas(text));
        expect(chunks).toBeGreaterThan(0);
      }
    });
  }

  it('a stream cut before [DONE] is not done; a non-JSON data line is invalid', () => {
    const text = readFileSync(fixture('providers', 'openai', CASES[0][0]), 'utf8');
    expect(parse(text.slice(0, text.indexOf('data: [DONE]') - 400), 16).parser.tally.done).toBe(false);
    expect(parse('data: <html>502 Bad Gateway</html>\n\n', 5).parser.tally.invalid).toContain('502');
  });

  it('sends stream_options.include_usage, a small max_tokens, and the key only in Authorization', () => {
    const w = openaiAdapter.buildRequest({ url: 'https://api.openai.com', model: 'gpt-4o-mini', key: 'sk-test-123456789', prompt: 'hi', maxTokens: 16 });
    expect(w.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(JSON.parse(w.body)).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, max_tokens: 16 });
    expect(w.headers.authorization).toBe('Bearer sk-test-123456789');
    expect(w.url + w.body).not.toContain('sk-test');
  });
});
