import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '@sigmascope/protocol/log';
import { openKeyStore } from '@sigmascope/agent/keys/key-store';
import type { SuiteTarget } from '../suite/suite.ts';
import { resolveTargetKeys } from './target-keys.ts';

const target = (t: Partial<SuiteTarget>): SuiteTarget => ({ name: 'x', provider: 'openai', url: 'https://api.openai.com/v1/chat/completions', model: 'gpt-4o-mini', key: null, ...t });
const STORED = 'sk-proj-bench-store-0123456789abcdef';
const ENV = 'sk-proj-bench-env-fedcba9876543210';

describe('target keys', () => {
  it('from a key store entry, an env: variable, or the provider’s usual variable; none for a local server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-keys-'));
    openKeyStore(dir, undefined).set('team-openai', STORED);
    const keys = resolveTargetKeys(
      [target({ name: 'a', key: 'team-openai' }), target({ name: 'b', key: 'env:CI_OPENAI' }), target({ name: 'c' }), target({ name: 'd', provider: 'openai-compatible', url: 'http://127.0.0.1:8000' })],
      { env: { CI_OPENAI: ENV, OPENAI_API_KEY: 'sk-usual-variable-000000000000' }, dataDir: dir },
    );
    expect(Object.fromEntries(keys)).toEqual({ a: STORED, b: ENV, c: 'sk-usual-variable-000000000000', d: null });
    // Every key read is masked in logs from then on.
    expect(redact(`got ${STORED} and ${ENV}`)).not.toContain(STORED);
  });

  it('names what is missing, never a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-keys-'));
    expect(() => resolveTargetKeys([target({ key: 'env:NOPE' })], { env: {}, dataDir: dir })).toThrow('target x: key: the environment variable NOPE is not set');
    expect(() => resolveTargetKeys([target({ key: 'missing' })], { env: {}, dataDir: dir })).toThrow('no key store entry "missing"');
    expect(() => resolveTargetKeys([target({})], { env: {}, dataDir: dir })).toThrow('openai needs a key');
  });
});
