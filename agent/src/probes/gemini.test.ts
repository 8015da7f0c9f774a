import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { GeminiParser, geminiAdapter } from './gemini.ts';

function parse(text: string, size: number): { parser: GeminiParser; chunks: number } {
  const parser = new GeminiParser();
  let chunks = 0;
  for (let i = 0; i < text.length; i += size) chunks += parser.push(text.slice(i, i + size));
  chunks += parser.end();
  return { parser, chunks };
}

const read = (file: string): string => readFileSync(fixture('providers', 'gemini', file), 'utf8');
const events = (text: string): number => text.split(/\r?\n/).filter((l) => l.startsWith('data: ')).length;

describe('Gemini streamGenerateContent parser', () => {
  // output = candidatesTokenCount + thoughtsTokenCount of the last usageMetadata (thinking is billed as output).
  const OK = [
    ['pydantic-ai__streamGenerateContent-sse-basic.body.sse', 13, 8],
    ['pydantic-ai__streamGenerateContent-sse-usage-mid-stream.body.sse', 18, 80 + 35],
    ['firebase-testdata__googleai_streaming-success-basic-reply-short.sse', 7, 10],
    ['firebase-testdata__googleai_streaming-success-thinking-reply-thought-summary.sse', 10, 48 + 540],
  ] as const;
  for (const [file, input, output] of OK) {
    it(`${file}: \\r\\n\\r\\n framing, last usageMetadata ${input}/${output}, finishReason`, () => {
      const text = read(file);
      for (const size of [1, 2, 77, text.length]) {
        const { parser, chunks } = parse(text, size);
        expect([parser.tally.inputTokens, parser.tally.outputTokens]).toEqual([input, output]);
        expect(parser.tally.done).toBe(true);
        expect(parser.tally.error).toBeNull();
        expect(parser.tally.invalid).toBeNull();
        expect(chunks).toBe(events(text));
      }
    });
  }

  it('a prompt blocked for safety is an in-band error', () => {
    const { parser, chunks } = parse(read('firebase-testdata__googleai_streaming-failure-prompt-blocked-safety.sse'), 3);
    expect(parser.tally.error).toEqual({ message: 'prompt blocked: SAFETY', code: 'SAFETY' });
    expect(chunks).toBe(0);
  });

  it('a raw JSON error appended without data: after two STOP events is caught', () => {
    for (const size of [1, 10, 5000]) {
      const { parser, chunks } = parse(read('firebase-testdata__vertexai_streaming-failure-error-mid-stream.sse'), size);
      expect(chunks).toBe(2);
      expect(parser.tally.error).toEqual({ message: 'The operation was cancelled.', code: 499 });
      expect(parser.tally.invalid).toBeNull();
    }
  });

  it('puts the model in the path and the key in x-goog-api-key, never in the URL', () => {
    const w = geminiAdapter.buildRequest({ url: geminiAdapter.defaultUrl as string, model: 'gemini-2.0-flash', key: 'AIzaSyTESTKEY123', prompt: 'hi', maxTokens: 16 });
    expect(w.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    expect(w.headers['x-goog-api-key']).toBe('AIzaSyTESTKEY123');
    expect(w.url).not.toContain('key=');
    expect(JSON.parse(w.body).generationConfig.maxOutputTokens).toBe(16);
  });
});
