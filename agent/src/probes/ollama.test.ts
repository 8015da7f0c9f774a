import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/support/fixtures.ts';
import { OllamaParser, ollamaAdapter } from './ollama.ts';

function parse(text: string, size: number): { parser: OllamaParser; chunks: number } {
  const parser = new OllamaParser();
  let chunks = 0;
  for (let i = 0; i < text.length; i += size) chunks += parser.push(text.slice(i, i + size));
  chunks += parser.end();
  return { parser, chunks };
}

const read = (file: string): string => readFileSync(fixture('providers', 'ollama', file), 'utf8');
const nonEmpty = (text: string): number => text.split('\n').filter((l) => /"(content|response)":"[^"]/.test(l)).length;

describe('Ollama NDJSON parser', () => {
  const CASES = [
    ['semantic-kernel__api-chat-stream-tail.ndjson', 10, 239, { loadMs: 55561.676662, promptEvalMs: 34.847, evalMs: 2381.751, totalMs: 58123.571935 }],
    ['semantic-kernel__api-generate-stream-tail.ndjson', 10, 304, { loadMs: 61368.714283, promptEvalMs: 40.919, evalMs: 3237.325, totalMs: 64697.743903 }],
    ['attogram__api-generate-stream-local-dolphin3-8b.ndjson', 30, 6, { loadMs: 1667.2411, promptEvalMs: 123.8225, evalMs: 133.1738, totalMs: 1926.2637 }],
    // A cloud model: no load/prompt-eval/eval durations on the final line.
    ['attogram__api-generate-stream-cloud-deepseek-v3.1-no-durations.ndjson', 11, 11, { totalMs: 737.855362 }],
  ] as const;
  for (const [file, input, output, server] of CASES) {
    it(`${file}: counts ${input}/${output} and the server durations present`, () => {
      const text = read(file);
      for (const size of [1, 3, 50, text.length]) {
        const { parser, chunks } = parse(text, size);
        expect([parser.tally.inputTokens, parser.tally.outputTokens]).toEqual([input, output]);
        expect(parser.tally.done).toBe(true);
        expect(parser.tally.error).toBeNull();
        expect(parser.tally.invalid).toBeNull();
        expect(chunks).toBe(nonEmpty(text));
        expect(Object.keys(parser.tally.server ?? {}).sort()).toEqual(Object.keys(server).sort());
        for (const [k, v] of Object.entries(server)) expect(parser.tally.server?.[k as keyof typeof server]).toBeCloseTo(v, 6);
      }
    });
  }

  it('an {"error"} line in the stream is an in-band error; a cut stream is not done', () => {
    const { parser } = parse('{"model":"m","message":{"content":"a"},"done":false}\n{"error":"model \\"llama2\\" not found, try pulling it first"}\n', 4);
    expect(parser.tally.error?.message).toBe('model "llama2" not found, try pulling it first');
    expect(parser.tally.done).toBe(false);
  });

  it('posts to /api/chat with num_predict and no key by default', () => {
    const w = ollamaAdapter.buildRequest({ url: 'http://127.0.0.1:11434', model: 'llama3.2:1b', key: null, prompt: 'hi', maxTokens: 16 });
    expect(w.url).toBe('http://127.0.0.1:11434/api/chat');
    expect(JSON.parse(w.body)).toMatchObject({ model: 'llama3.2:1b', stream: true, options: { num_predict: 16 } });
    expect(w.headers.authorization).toBeUndefined();
  });
});
