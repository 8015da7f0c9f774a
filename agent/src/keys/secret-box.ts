/**
 * AES-256-GCM sealing of one secret: a fresh random 96-bit IV per seal, the 128-bit tag kept
 * beside the ciphertext, and `aad` (the entry's name) bound in, so a ciphertext moved to another
 * entry fails to open just like a flipped byte.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

/** Encrypts `plaintext` under the 32-byte `key`. All fields base64. */
export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/** Decrypts and authenticates; null when the key is wrong or any byte (or the aad) changed. */
export function open(key: Buffer, s: Sealed, aad: string): string | null {
  try {
    const iv = Buffer.from(s.iv, 'base64');
    const tag = Buffer.from(s.tag, 'base64');
    if (iv.length !== 12 || tag.length !== 16) return null;
    const d = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(tag);
    return Buffer.concat([d.update(Buffer.from(s.ct, 'base64')), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}
