/**
 * The leak scan of provider keys (RELIABILITY S6): looks for a key in every form it could be
 * written in — plain, base64 (padded, unpadded, URL-safe), hex (both cases), URL-encoded — in
 * texts (logs, CLI output, pages, API responses) and in every file under directory trees (key
 * store, LMDB buffer, SQLite database), byte for byte, so binary files are scanned too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every encoding of `key` the scan looks for, by name. */
export function keyForms(key: string): Record<string, string> {
  const bytes = Buffer.from(key, 'utf8');
  const b64 = bytes.toString('base64');
  return {
    plain: key,
    base64: b64,
    'base64 unpadded': b64.replace(/=+$/, ''),
    base64url: bytes.toString('base64url'),
    hex: bytes.toString('hex'),
    HEX: bytes.toString('hex').toUpperCase(),
    'url-encoded': encodeURIComponent(key),
  };
}

/** Where the key was found: `"<place>: <form>"` per hit; empty when it is nowhere. */
export function scanForKey(key: string, where: { texts?: Readonly<Record<string, string>>; dirs?: readonly string[] }): string[] {
  const forms = Object.entries(keyForms(key));
  const hits: string[] = [];
  for (const [place, text] of Object.entries(where.texts ?? {})) {
    for (const [form, value] of forms) if (text.includes(value)) hits.push(`${place}: ${form}`);
  }
  for (const dir of where.dirs ?? []) {
    for (const file of filesUnder(dir)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue; // removed while scanning (a temp file): nothing to leak
      }
      for (const [form, value] of forms) if (bytes.includes(Buffer.from(value, 'utf8'))) hits.push(`${file}: ${form}`);
    }
  }
  return hits;
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.isFile() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isFile()) ? [p] : [];
  });
}
