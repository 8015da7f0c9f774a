import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { scanForKey } from '../tests/support/leak-scan.ts';
import { keysCommand } from './keys.ts';

const KEY = 'sk-ant-api03-CLIKEYS-9f8e7d6c5b4a39281706';

function io(secret = KEY, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  return { out, err, prompts, io: { env, out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), readSecret: async (p: string) => (prompts.push(p), `${secret}\n`) } };
}

describe('sigmascope keys (in-process)', () => {
  it('set reads stdin, list shows name and fingerprint, rm removes; the key is printed nowhere and stored sealed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigmascope-cli-keys-'));
    const a = io();
    expect(await keysCommand(['set', 'anthropic', '--data', dir], a.io)).toBe(0);
    expect(a.out.join('')).toMatch(/^stored anthropic sha256:[0-9a-f]{12}\n$/);
    const b = io();
    expect(await keysCommand(['list', '--data', dir], b.io)).toBe(0);
    expect(b.out.join('')).toMatch(/^anthropic\tsha256:[0-9a-f]{12}\tset \d{4}-/);
    expect(scanForKey(KEY, { texts: { out: a.out.join('') + b.out.join(''), err: a.err.join('') + b.err.join(''), prompt: a.prompts.join('') }, dirs: [dir] })).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')).keys.anthropic.ct).toBeTruthy();
    const c = io();
    expect(await keysCommand(['rm', 'anthropic', '--data', dir], c.io)).toBe(0);
    expect(await keysCommand(['rm', 'anthropic', '--data', dir], io().io)).toBe(1);
  });

  it('refuses a key given on the command line without repeating it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigmascope-cli-keys-'));
    const attempt = keysCommand(['set', 'openai', KEY, '--data', dir], io().io);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/stdin, never from the command line/);
    await attempt.catch((e: Error) => expect(e.message).not.toContain(KEY));
  });

  it('refuses empty input and bad names with exit-2 errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigmascope-cli-keys-'));
    await expect(keysCommand(['set', 'openai', '--data', dir], io('').io)).rejects.toThrow(/no key on stdin/);
    await expect(keysCommand(['set', 'Open AI', '--data', dir], io().io)).rejects.toThrow(/not a provider name/);
    await expect(keysCommand(['frobnicate', '--data', dir], io().io)).rejects.toThrow(/unknown subcommand/);
  });
});
