/**
 * Reads a whole LMDB file in a short-lived child process before the agent opens it. LMDB trusts
 * its file: a truncated or overwritten page can crash the reading process outright, and an agent
 * that crashes at every start on its own buffer is a crash loop. A child that dies instead tells
 * us to move the file aside.
 */
import { spawnSync } from 'node:child_process';

// Runs under `node -e` and `bun -e` alike: CommonJS-compatible, dynamic import of lmdb by URL.
const SCRIPT = `
const [lmdbUrl, path] = process.argv.slice(-2);
import(lmdbUrl).then(({ open }) => {
  const env = open({ path, noSubdir: true, readOnly: true, maxDbs: 4 });
  for (const name of ['frames', 'meta', 'quarantine']) {
    const db = env.openDB({ name, encoding: 'binary' });
    for (const { value } of db.getRange({})) if (value && value.length < 0) process.exit(4);
  }
  process.exit(0);
}).catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(3); });
`;

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Opens and reads every record of the LMDB file at `path` in a child; never throws. */
export function verifyLmdbInChild(path: string, timeoutMs = 4_000): VerifyResult {
  let lmdbUrl: string;
  try {
    lmdbUrl = import.meta.resolve('lmdb');
  } catch (err) {
    return { ok: false, reason: `cannot locate lmdb: ${String(err)}` };
  }
  const r = spawnSync(process.execPath, ['-e', SCRIPT, lmdbUrl, path], { timeout: timeoutMs, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status === 0) return { ok: true };
  if (r.error) return { ok: false, reason: `check failed: ${r.error.message}` };
  return { ok: false, reason: r.signal ? `reading the buffer killed the checker (${r.signal})` : `the checker exited ${r.status}: ${(r.stderr ?? '').slice(0, 200)}` };
}
