import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';
import type { SseItem } from './sse.ts';

function all(text: string, cuts: number[]): SseItem[] {
  const p = new SseParser();
  const out: SseItem[] = [];
  let from = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(...p.push(text.slice(from, c)));
    from = c;
  }
  out.push(...p.push(text.slice(from)), ...p.end());
  return out;
}

describe('SSE framing', () => {
  const text = ': keep-alive\n\nevent: a\ndata: 1\ndata: 2\n\r\ndata:x\r\rdata: last';
  const expected: SseItem[] = [
    { type: 'comment', text: 'keep-alive' },
    { type: 'event', event: 'a', data: '1\n2' },
    { type: 'event', event: 'message', data: 'x' },
    { type: 'event', event: 'message', data: 'last' },
  ];

  it('handles \\n, \\r\\n and \\r line ends, comments, multi-line data and an unterminated last event', () => {
    expect(all(text, [])).toEqual(expected);
  });

  it('gives the same items for every split of the input', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
      expect(all(text, cuts)).toEqual(expected);
    }));
  });

  it('returns non-SSE text as one raw item', () => {
    expect(all('data: 1\n\n{\n  "error": {\n    "code": 499\n  }\n}\n', [])).toEqual([
      { type: 'event', event: 'message', data: '1' },
      { type: 'raw', text: '{\n  "error": {\n    "code": 499\n  }\n}' },
    ]);
  });
});
