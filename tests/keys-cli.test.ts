/**
 * `sigmascope keys` as users run it: the key from stdin, listed by fingerprint only, sealed on
 * disk; a tampered store or a wrong master key is refused with a clear message and exit 2, and
 * nothing falls back to plaintext (S7).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanForKey } from './support/leak-scan.ts';
import { runCli, tempDir } from './support/processes.ts';

const KEY = 'sk-ant-api03-KEYSCLI-00112233445566778899';
const cli = (args: string[], input = '', env: Record<string, string> = {}) => runCli(args, { input, env: { SIGMASCOPE_MASTER_KEY: '', ...env } });

describe('sigmascope keys (built CLI)', () => {
  it('set from stdin, list by fingerprint, rm; the key is in no output and no file', () => {
    const data = tempDir('sigmascope-keys-');
    const set = cli(['keys', 'set', 'anthropic', '--data', data], `${KEY}\n`);
    expect(set.status, set.stderr).toBe(0);
    const list = cli(['keys', 'list', '--data', data]);
    expect(list.stdout).toMatch(/^anthropic\tsha256:[0-9a-f]{12}\t/);
    expect(scanForKey(KEY, { texts: { set: set.stdout + set.stderr, list: list.stdout + list.stderr }, dirs: [data] })).toEqual([]);
    expect(cli(['keys', 'rm', 'anthropic', '--data', data]).status).toBe(0);
    expect(cli(['keys', 'list', '--data', data]).stdout).toBe('');
  });

  it('a key on the command line is refused (exit 2) and not repeated', () => {
    const r = cli(['keys', 'set', 'openai', KEY, '--data', tempDir('sigmascope-keys-')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/read from stdin/);
    expect(r.stderr + r.stdout).not.toContain(KEY);
  });

  it('tampered ciphertext, wrong master key, missing master key: refused with a clear message, exit 2', () => {
    const data = tempDir('sigmascope-keys-');
    expect(cli(['keys', 'set', 'openai', '--data', data], `${KEY}\n`).status).toBe(0);
    const probe = (env: Record<string, string> = {}) => cli(['probe', '--provider', 'openai', '--model', 'gpt-4o-mini', '--url', 'http://127.0.0.1:1/v1/chat/completions', '--data', data], '', { OPENAI_API_KEY: '', SIGMASCOPE_PROBE_KEY: '', ...env });

    const wrong = probe({ SIGMASCOPE_MASTER_KEY: 'ab'.repeat(32) });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/SIGMASCOPE_MASTER_KEY: this master key is not the one the keys in .* were sealed with/);

    const file = join(data, 'keys.json');
    const f = JSON.parse(readFileSync(file, 'utf8'));
    const ct = Buffer.from(f.keys.openai.ct, 'base64');
    ct[0] = (ct[0] as number) ^ 0x80;
    f.keys.openai.ct = ct.toString('base64');
    writeFileSync(file, JSON.stringify(f));
    const tampered = probe();
    expect(tampered.status).toBe(2);
    expect(tampered.stderr).toMatch(/"openai" failed authentication \(modified or corrupted\)/);

    writeFileSync(join(data, 'master.key'), '');
    const emptied = probe();
    expect(emptied.status).toBe(2);
    expect(emptied.stderr).toMatch(/master key must be 32 bytes/);
    for (const r of [wrong, tampered, emptied]) expect(r.stdout).toBe(''); // no probe ran, nothing printed as if it had
  });
});
