/**
 * Provider API keys at rest in `DATA/keys.json`, each sealed with AES-256-GCM (fresh IV per seal,
 * the entry name bound as AAD) under the master key (see master-key.ts). The file also holds a
 * check value (an HMAC of a constant under the master key) so a wrong master key is told apart
 * from a tampered entry. Listing needs no master key (names and fingerprints are stored beside
 * the ciphertext); reading a key does, and every key read or written is registered with the log
 * redactor before it is returned. Refusals are KeyStoreErrors; nothing ever falls back to plaintext.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerSecret } from '@sigmascope/protocol/log';
import { KeyStoreError, KeyStoreRefusal } from './key-store-error.ts';
import { loadMasterKey, MASTER_KEY_ENV, MASTER_KEY_FILE } from './master-key.ts';
import { open, seal } from './secret-box.ts';
import type { Sealed } from './secret-box.ts';

export const KEYS_FILE = 'keys.json';
/** Key store entry names: provider names and the like. */
export const KEY_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export interface KeyInfo {
  readonly name: string;
  /** `sha256:` and the first 12 hex digits of the key's SHA-256: tells keys apart, reveals nothing usable. */
  readonly fingerprint: string;
  readonly createdAt: string;
}

interface Entry extends Sealed {
  readonly fingerprint: string;
  readonly createdAt: string;
}
interface FileShape {
  version: 1;
  check: string;
  keys: Record<string, Entry>;
}

export interface KeyStore {
  /** Names and fingerprints; never decrypts. */
  list(): KeyInfo[];
  /** The key, or null when no entry has that name. Throws KeyStoreError on any refusal. */
  get(name: string): string | null;
  /** Seals and stores `key` under `name`, creating the master key file if there is no master key yet. */
  set(name: string, key: string): KeyInfo;
  /** Removes an entry; false when there was none. */
  remove(name: string): boolean;
  /** Opens every entry (the agent does this at start, so a bad store refuses the start). */
  unlockAll(): ReadonlyMap<string, string>;
}

export function fingerprint(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12)}`;
}

const checkValue = (master: Buffer): string => createHmac('sha256', master).update('sigmascope key store v1').digest('hex').slice(0, 32);

/**
 * Opens the store in `dir` (the agent's data directory). `masterKey` is the value of
 * SIGMASCOPE_MASTER_KEY when set; the caller's config code reads the environment, not this module.
 */
export function openKeyStore(dir: string, masterKey: string | undefined): KeyStore {
  const path = join(dir, KEYS_FILE);
  let master: Buffer | null | undefined;

  const read = (): FileShape | null => {
    if (!existsSync(path)) return null;
    try {
      const j = JSON.parse(readFileSync(path, 'utf8')) as FileShape;
      if (j.version !== 1 || typeof j.check !== 'string' || j.keys === null || typeof j.keys !== 'object') throw new Error('bad shape');
      return j;
    } catch {
      throw new KeyStoreError(KeyStoreRefusal.unreadable, path, 'the key store is not valid: it was modified or corrupted; move it away and set the keys again');
    }
  };
  const write = (f: FileShape): void => {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(f, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
  };
  // `f` null: nothing sealed yet, so any master key is right and one may be created.
  const masterFor = (f: FileShape | null, create: boolean): Buffer => {
    if (master === undefined || (master === null && create)) {
      if (create) mkdirSync(dir, { recursive: true });
      master = loadMasterKey(dir, masterKey, create && f === null);
    }
    if (master === null) {
      throw new KeyStoreError(KeyStoreRefusal.missingMasterKey, MASTER_KEY_ENV, `keys are stored in ${path} but there is no master key: set ${MASTER_KEY_ENV} or restore ${join(dir, MASTER_KEY_FILE)}`);
    }
    if (f !== null) {
      const want = Buffer.from(f.check, 'hex');
      const have = Buffer.from(checkValue(master), 'hex');
      if (want.length !== have.length || !timingSafeEqual(want, have)) {
        throw new KeyStoreError(KeyStoreRefusal.wrongMasterKey, masterKey ? MASTER_KEY_ENV : join(dir, MASTER_KEY_FILE), `this master key is not the one the keys in ${path} were sealed with`);
      }
    }
    return master;
  };
  const openEntry = (m: Buffer, name: string, e: Entry): string => {
    const key = open(m, e, name);
    if (key === null) throw new KeyStoreError(KeyStoreRefusal.tampered, path, `the entry ${JSON.stringify(name)} failed authentication (modified or corrupted); set it again with \`sigmascope keys set ${name}\``);
    registerSecret(key);
    return key;
  };

  return {
    list() {
      const f = read();
      return f === null ? [] : Object.entries(f.keys).map(([name, e]) => ({ name, fingerprint: e.fingerprint, createdAt: e.createdAt })).sort((a, b) => a.name.localeCompare(b.name));
    },
    get(name) {
      const f = read();
      const e = f?.keys[name];
      if (f === null || e === undefined) return null;
      return openEntry(masterFor(f, false), name, e);
    },
    set(name, key) {
      if (!KEY_NAME_PATTERN.test(name)) throw new KeyStoreError(KeyStoreRefusal.unreadable, 'PROVIDER', `${JSON.stringify(name)} is not a key name (lower-case letters, digits, _ . -)`);
      registerSecret(key);
      const current = read();
      const f = current !== null && Object.keys(current.keys).length > 0 ? current : null;
      const m = masterFor(f, true);
      const next: FileShape = f ?? { version: 1, check: checkValue(m), keys: {} };
      const info: KeyInfo = { name, fingerprint: fingerprint(key), createdAt: new Date().toISOString() };
      next.keys[name] = { ...seal(m, key, name), fingerprint: info.fingerprint, createdAt: info.createdAt };
      write(next);
      return info;
    },
    remove(name) {
      const f = read();
      if (f === null || f.keys[name] === undefined) return false;
      delete f.keys[name];
      write(f);
      return true;
    },
    unlockAll() {
      const f = read();
      const out = new Map<string, string>();
      if (f === null || Object.keys(f.keys).length === 0) return out;
      const m = masterFor(f, false);
      for (const [name, e] of Object.entries(f.keys)) out.set(name, openEntry(m, name, e));
      return out;
    },
  };
}
