/**
 * Where the master key comes from: the value of SIGMASCOPE_MASTER_KEY (handed in by the caller's
 * config code; this module never reads the environment), else the key file `master.key` in the
 * data directory, which must be mode 0600 (owner only) and is created so when a first secret is
 * stored. Format either way: 32 bytes as 64 hex digits or as base64 (`openssl rand -hex 32`).
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KeyStoreError, KeyStoreRefusal } from './key-store-error.ts';

export const MASTER_KEY_ENV = 'SIGMASCOPE_MASTER_KEY';
export const MASTER_KEY_FILE = 'master.key';

/** Decodes a master key text; throws KeyStoreError(bad_master_key) naming `where`. */
export function decodeMasterKey(text: string, where: string): Buffer {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(t)) key = Buffer.from(t, 'base64');
  if (key === null || key.length !== 32) throw new KeyStoreError(KeyStoreRefusal.badMasterKey, where, 'the master key must be 32 bytes written as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)');
  return key;
}

/**
 * The master key, or null when there is none yet and `create` is false.
 * With `create`, a missing key file is made (random, mode 0600, never overwriting).
 */
export function loadMasterKey(dir: string, envValue: string | undefined, create: boolean): Buffer | null {
  if (envValue !== undefined && envValue !== '') return decodeMasterKey(envValue, MASTER_KEY_ENV);
  const file = join(dir, MASTER_KEY_FILE);
  if (!existsSync(file)) {
    if (!create) return null;
    const key = randomBytes(32);
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${key.toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
    return key;
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyStoreError(KeyStoreRefusal.insecureKeyFile, file, `the master key file has mode ${mode.toString(8).padStart(4, '0')}; it must be readable by its owner only: chmod 600 ${file}`);
  }
  return decodeMasterKey(readFileSync(file, 'utf8'), file);
}
