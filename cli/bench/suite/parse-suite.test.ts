import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExpectation } from '../dataset/checks.ts';
import { canonicalJson } from '../output/canonical-json.ts';
import { poissonArrivals } from '../schedule/arrivals.ts';
import { readSuiteFile, resolveSuite } from './parse-suite.ts';

const base = { name: 's', targets: [{ provider: 'demo', model: 'm' }], dataset: { inline: [{ id: 'a', prompt: 'hi' }] }, profile: { type: 'synchronous', requests: 3 } };

describe('suite files', () => {
  it('resolves defaults, reads a JSONL dataset beside the suite and hashes both files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suite-'));
    writeFileSync(join(dir, 'd.jsonl'), '{"id": 1, "prompt": "one", "expect": {"contains": "1"}}\n\n{"id": "two", "prompt": "two"}\n');
    writeFileSync(join(dir, 's.yaml'), 'name: x\ntargets: [{provider: openai, model: gpt-4o-mini, key: env:MY_KEY}]\ndataset: {path: d.jsonl}\nprofile: {type: sweep, rates: [1, 2.5], duration: 10}\n');
    const { suite, sha256 } = readSuiteFile(join(dir, 's.yaml'));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(suite).toMatchObject({ seed: 1, maxTokens: 256, targets: [{ name: 'openai:gpt-4o-mini', url: 'https://api.openai.com/v1/chat/completions', key: 'env:MY_KEY' }], profile: { type: 'sweep', rates: [1, 2.5], duration: 10, requests: null, warmup: 0 } });
    expect(suite.dataset.records.map((r) => r.id)).toEqual(['1', 'two']);
    expect(suite.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names every bad value', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ ...base, extra: 1 }, 's.extra: unknown setting'],
      [{ ...base, targets: [{ provider: 'openia', model: 'm' }] }, 's.targets[0].provider: "openia" is not one of'],
      [{ ...base, targets: [{ provider: 'openai', model: 'm', key: 'sk-abc123' }] }, 's.targets[0].key: looks like an API key itself'],
      [{ ...base, targets: [{ provider: 'openai', model: 'm', key: 'My Key' }] }, 's.targets[0].key: "My Key" is not env:VARIABLE or a key store name'],
      [{ ...base, targets: [{ provider: 'demo', model: 'm' }, { provider: 'demo', model: 'm' }] }, 'is used by another target'],
      [{ ...base, profile: { type: 'constant', rate: 0, requests: 1 } }, 's.profile.rate: 0 is not a number in (0, 10000]'],
      [{ ...base, profile: { type: 'synchronous', rate: 2, requests: 1 } }, 's.profile.rate: does not apply to a synchronous profile'],
      [{ ...base, dataset: { inline: [{ id: 'a', prompt: 'x' }, { id: 'a', prompt: 'y' }] } }, 'id "a" appears twice'],
      [{ ...base, dataset: { inline: [{ id: 'a', prompt: 'x', expect: { equals: 'y', contains: 'z' } }] } }, 'needs exactly one of equals, contains, regex, json_schema'],
      [{ ...base, dataset: { inline: [{ id: 'a', prompt: 'x', expect: { json_schema: { type: 'strng' } } }] } }, 'json_schema: not a valid JSON Schema'],
      [{ ...base, dataset: {} }, 'needs exactly one of path'],
      [{ ...base, slo: { ttft_ms: -1 } }, 's.slo.ttft_ms: -1 is not a number'],
    ];
    for (const [raw, message] of bad) expect(() => resolveSuite(raw, 's', '/'), message).toThrow(message);
  });
});

describe('checks', () => {
  it('equals, contains, regex and JSON Schema (fenced JSON too) on the completion', () => {
    expect(compileExpectation({ equals: 'Paris' }, 'e').check('  Paris\n').pass).toBe(true);
    expect(compileExpectation({ contains: 'Par' }, 'e').check('It is Paris.').pass).toBe(true);
    expect(compileExpectation({ regex: '^\\d+$' }, 'e').check('12a')).toEqual({ kind: 'regex', pass: false, reason: 'no match' });
    const schema = compileExpectation({ json_schema: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } }, 'e');
    expect(schema.check('```json\n{"city": "Paris"}\n```').pass).toBe(true);
    expect(schema.check('{"town": "Paris"}')).toEqual({ kind: 'json_schema', pass: false, reason: "/ must have required property 'city'" });
    expect(schema.check('Paris')).toEqual({ kind: 'json_schema', pass: false, reason: 'not JSON' });
  });
});

describe('schedules and hashes', () => {
  it('a seeded Poisson schedule: the same on every call, its mean gap 1/rate', () => {
    const take = (n: number) => { const g = poissonArrivals(50, 7); return Array.from({ length: n }, () => g.next().value as number); };
    expect(take(5)).toEqual(take(5));
    const t = take(20_001);
    expect(t[20_000]! / 20_000).toBeCloseTo(1000 / 50, 0);
  });
  it('canonical JSON sorts keys at every level, so equal configurations hash alike', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}');
  });
});
