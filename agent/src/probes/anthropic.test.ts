import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { AnthropicParser, anthropicAdapter } from './anthropic.ts';

function parse(text: string, size: number): { parser: AnthropicParser; chunks: number } {
  const parser = new AnthropicParser();
  let chunks = 0;
  for (let i = 0; i < text.length; i += size) chunks += parser.push(text.slice(i, i + size));
  chunks += parser.end();
  return { parser, chunks };
}

/** Independent count: content_block_delta events with a non-empty text or partial_json. */
function deltas(text: string): number {
  return text.split('\n').filter((l) => l.includes('"content_block_delta"') && /"(text|partial_json)":"[^"]/.test(l)).length;
}

const CASES = [
  ['anthropic-sdk-python__basic_response.sse', 11, 6],
  ['anthropic-sdk-python__tool_use_response.sse', 377, 65],
  ['pydantic-ai__messages-stream-basic.body.sse', 20, 5],
] as const;

describe('Anthropic Messages stream parser', () => {
  for (const [file, input, output] of CASES) {
    it(`${file}: usage ${input}/${output} from message_start and message_delta, message_stop seen`, () => {
      const text = readFileSync(fixture('providers', 'anthropic', file), 'utf8');
      for (const size of [1, 5, 100, text.length]) {
        const { parser, chunks } = parse(text, size);
        expect([parser.tally.inputTokens, parser.tally.outputTokens]).toEqual([input, output]);
        expect(parser.tally.done).toBe(true);
        expect(parser.tally.error).toBeNull();
        expect(parser.tally.invalid).toBeNull();
        expect(chunks).toBe(deltas(text));
      }
    });
  }

  it('an error event inside a 200 stream is an in-band error', () => {
    const text = 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const { parser } = parse(text, 4);
    expect(parser.tally.error).toEqual({ message: 'Overloaded', code: 'overloaded_error' });
    expect(parser.tally.done).toBe(false);
  });

  it('sends the key only in x-api-key, with anthropic-version', () => {
    const w = anthropicAdapter.buildRequest({ url: 'https://api.anthropic.com', model: 'claude-3-5-haiku-latest', key: 'sk-ant-abcdefgh', prompt: 'hi', maxTokens: 16 });
    expect(w.url).toBe('https://api.anthropic.com/v1/messages');
    expect(w.headers['x-api-key']).toBe('sk-ant-abcdefgh');
    expect(w.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(w.body)).toMatchObject({ stream: true, max_tokens: 16 });
  });
});
