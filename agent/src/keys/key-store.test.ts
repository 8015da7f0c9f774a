import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '@sigmascope/protocol/log';
import { fingerprint, KEYS_FILE, openKeyStore } from './key-store.ts';
import { KeyStoreError } from './key-store-error.ts';
import { MASTER_KEY_FILE } from './master-key.ts';

const KEY = 'sk-proj-KEYSTORE-test-4f9a8b7c6d5e4f3a2b1c';
const fresh = (): string => mkdtempSync(join(tmpdir(), 'sigmascope-keys-'));
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof KeyStoreError) return err.code;
    throw err;
  }
  return 'no refusal';
};
/** Every file in the directory, as text. */
const allText = (dir: string): string => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1')).join('\n');

describe('key store', () => {
  it('round-trips a key; files are 0600; the key is in no file in plain, base64 or hex', () => {
    const dir = fresh();
    const info = openKeyStore(dir, undefined).set('openai', KEY);
    expect(info.fingerprint).toBe(fingerprint(KEY));
    expect(openKeyStore(dir, undefined).get('openai')).toBe(KEY);
    expect(statSync(join(dir, KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    const text = allText(dir);
    for (const form of [KEY, Buffer.from(KEY).toString('base64'), Buffer.from(KEY).toString('hex')]) expect(text).not.toContain(form);
    // The key is registered with the log redactor as soon as it is read or written.
    expect(redact(`echo ${KEY}`)).toBe('echo [REDACTED]');
  });

  it('uses a fresh IV per seal: the same key sealed twice gives different ciphertexts', () => {
    const dir = fresh();
    const store = openKeyStore(dir, undefined);
    store.set('a', KEY);
    store.set('b', KEY);
    const f = JSON.parse(readFileSync(join(dir, KEYS_FILE), 'utf8'));
    expect(f.keys.a.iv).not.toBe(f.keys.b.iv);
    expect(f.keys.a.ct).not.toBe(f.keys.b.ct);
  });

  it('lists names and fingerprints only, without a master key', () => {
    const dir = fresh();
    openKeyStore(dir, undefined).set('anthropic', KEY);
    unlinkSync(join(dir, MASTER_KEY_FILE));
    const listed = openKeyStore(dir, undefined).list();
    expect(listed.map((k) => [k.name, k.fingerprint])).toEqual([['anthropic', fingerprint(KEY)]]);
    expect(JSON.stringify(listed)).not.toContain(KEY);
  });

  it('refuses a tampered ciphertext, a moved entry, a wrong or missing master key, a loose key file (S7)', () => {
    const dir = fresh();
    const store = openKeyStore(dir, undefined);
    store.set('openai', KEY);
    store.set('gemini', `${KEY}-2`);
    const file = join(dir, KEYS_FILE);
    const original = readFileSync(file, 'utf8');
    const f = JSON.parse(original);

    const ct = Buffer.from(f.keys.openai.ct, 'base64');
    ct[3] = (ct[3] as number) ^ 0x01;
    writeFileSync(file, JSON.stringify({ ...f, keys: { ...f.keys, openai: { ...f.keys.openai, ct: ct.toString('base64') } } }));
    expect(refusal(() => openKeyStore(dir, undefined).get('openai'))).toBe('tampered');
    expect(refusal(() => openKeyStore(dir, undefined).unlockAll())).toBe('tampered');

    writeFileSync(file, JSON.stringify({ ...f, keys: { openai: f.keys.gemini, gemini: f.keys.openai } }));
    expect(refusal(() => openKeyStore(dir, undefined).get('openai'))).toBe('tampered');

    writeFileSync(file, original);
    expect(refusal(() => openKeyStore(dir, 'a'.repeat(64)).get('openai'))).toBe('wrong_master_key');
    expect(refusal(() => openKeyStore(dir, 'not-a-key').get('openai'))).toBe('bad_master_key');
    chmodSync(join(dir, MASTER_KEY_FILE), 0o644);
    expect(refusal(() => openKeyStore(dir, undefined).get('openai'))).toBe('insecure_key_file');
    unlinkSync(join(dir, MASTER_KEY_FILE));
    expect(refusal(() => openKeyStore(dir, undefined).get('openai'))).toBe('missing_master_key');
    // Never a new master key over sealed entries: set refuses too.
    expect(refusal(() => openKeyStore(dir, undefined).set('ollama', KEY))).toBe('missing_master_key');
    expect(refusal(() => { writeFileSync(file, '{"version":1,'); openKeyStore(dir, undefined).list(); })).toBe('unreadable');
  });

  it('takes the master key from the caller (SIGMASCOPE_MASTER_KEY) and then writes no key file', () => {
    const dir = fresh();
    const master = Buffer.alloc(32, 7).toString('base64');
    openKeyStore(dir, master).set('openai', KEY);
    expect(readdirSync(dir)).toEqual([KEYS_FILE]);
    expect(openKeyStore(dir, master).get('openai')).toBe(KEY);
    expect(openKeyStore(dir, Buffer.alloc(32, 7).toString('hex')).get('openai')).toBe(KEY);
    expect(refusal(() => openKeyStore(dir, undefined).get('openai'))).toBe('missing_master_key');
  });

  it('removes entries', () => {
    const dir = fresh();
    const store = openKeyStore(dir, undefined);
    store.set('openai', KEY);
    expect(store.remove('openai')).toBe(true);
    expect(store.remove('openai')).toBe(false);
    expect(store.get('openai')).toBeNull();
    expect(store.list()).toEqual([]);
  });
});
