import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { openaiCompatibleAdapter } from './openai-compatible.ts';
import type { StreamParser } from './provider.ts';

function parse(text: string, size: number): { parser: StreamParser; chunks: number } {
  const parser = openaiCompatibleAdapter.createParser();
  let chunks = 0;
  for (let i = 0; i < text.length; i += size) chunks += parser.push(text.slice(i, i + size));
  chunks += parser.end();
  return { parser, chunks };
}

describe('OpenAI-compatible servers', () => {
  it('vLLM: vLLM-specific keys ignored, usage chunk 46/14, one chunk per non-empty content delta', () => {
    const text = readFileSync(fixture('providers', 'vllm', 'pydantic-ai__crusoe-vllm-chat-stream-include-usage.body.sse'), 'utf8');
    const deltas = [...text.matchAll(/"delta":\{"content":"([^"]*)"/g)].filter((m) => (m[1] as string).length > 0).length;
    for (const size of [1, 13, text.length]) {
      const { parser, chunks } = parse(text, size);
      expect([parser.tally.inputTokens, parser.tally.outputTokens]).toEqual([46, 14]);
      expect(parser.tally.done).toBe(true);
      expect(parser.tally.error).toBeNull();
      expect(chunks).toBe(deltas);
    }
  });

  it('OpenRouter: 17 comment lines skipped, reasoning deltas count as output, the in-band error is caught with its code, usage still read', () => {
    const text = readFileSync(fixture('providers', 'openai-compatible', 'openrouter-stream-comments-midstream-error.body.sse'), 'utf8');
    for (const size of [1, 9, text.length]) {
      const { parser, chunks } = parse(text, size);
      expect(parser.tally.error).toEqual({ message: 'Token limit reached', code: 400 });
      expect([parser.tally.inputTokens, parser.tally.outputTokens]).toEqual([43, 10]);
      expect(parser.tally.invalid).toBeNull();
      expect(chunks).toBe(2);
    }
  });

  it('takes vLLM\'s top-level error envelope inside a stream as an error', () => {
    const p = parse('data: {"object":"error","message":"max_tokens must be at least 1, got -186.","type":"BadRequestError","param":null,"code":400}\n\n', 3).parser;
    expect(p.tally.error?.message).toContain('max_tokens');
  });

  it('needs no key; sends one as a bearer token when set; appends the standard path to a bare URL', () => {
    const bare = openaiCompatibleAdapter.buildRequest({ url: 'http://127.0.0.1:8000', model: 'm', key: null, prompt: 'p', maxTokens: 8 });
    expect(bare.url).toBe('http://127.0.0.1:8000/v1/chat/completions');
    expect(bare.headers.authorization).toBeUndefined();
    const routed = openaiCompatibleAdapter.buildRequest({ url: 'https://openrouter.ai/api/v1/chat/completions', model: 'm', key: 'or-key-12345678', prompt: 'p', maxTokens: 8 });
    expect(routed.url).toBe('https://openrouter.ai/api/v1/chat/completions');
    expect(routed.headers.authorization).toBe('Bearer or-key-12345678');
  });
});
