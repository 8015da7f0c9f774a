import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NdjsonParser } from './ndjson.ts';

describe('NDJSON framing', () => {
  const text = '{"a":1}\r\n\n{"b":"x\\ny"}\nnot json\n{"c":true}';
  it('parses every line for every split, including an unterminated last line', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 6 }), (cuts) => {
      const p = new NdjsonParser();
      const out = [];
      let from = 0;
      for (const c of [...cuts].sort((a, b) => a - b)) {
        out.push(...p.push(text.slice(from, c)));
        from = c;
      }
      out.push(...p.push(text.slice(from)), ...p.end());
      expect(out).toEqual([{ ok: true, value: { a: 1 } }, { ok: true, value: { b: 'x\ny' } }, { ok: false, text: 'not json' }, { ok: true, value: { c: true } }]);
    }));
  });
});
