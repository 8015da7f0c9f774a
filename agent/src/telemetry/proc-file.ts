/**
 * Reads one file under a /proc root. The /proc sources read synchronously on purpose: procfs
 * files are generated in memory by the kernel and answer in microseconds, and a synchronous read
 * costs far less CPU per tick than a round trip through the thread pool.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The outcome of one read: the text, or why it could not be read (missing file, permissions). */
export type ProcRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** Reads `<root>/<name>` as text. Never throws: a failure comes back as a reason naming the path. */
export function readProcFile(root: string, name: string): ProcRead {
  const path = join(root, name);
  try {
    return { ok: true, text: readFileSync(path, 'latin1') };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { ok: false, reason: `cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}` };
  }
}
