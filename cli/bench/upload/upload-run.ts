/**
 * Sends a finished run to a collector: `POST URL/api/v1/runs` with `{run, requests}` as JSON and
 * the token as a bearer. The token comes from a file or SIGMASCOPE_TOKEN, never from argv. Never
 * throws for the network: a failed upload is a value, and the run stays on disk either way.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { registerSecret } from '@sigmascope/protocol/log';
import { loadRun } from '../output/run-files.ts';

/** The upload token from `--token-file` or SIGMASCOPE_TOKEN; ConfigError when neither is set. */
export function collectorToken(file: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  let token: string | undefined;
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError('--token-file', `cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  } else token = env.SIGMASCOPE_TOKEN?.trim();
  if (!token) throw new ConfigError('--collector', 'needs a token: --token-file FILE or SIGMASCOPE_TOKEN');
  registerSecret(token);
  return token;
}

export type UploadResult = { readonly ok: true; readonly location: string } | { readonly ok: false; readonly reason: string };

/** Uploads the run in `dir`. */
export async function uploadRun(collector: string, token: string, dir: string): Promise<UploadResult> {
  const { run, requests } = loadRun(dir);
  const url = new URL('/api/v1/runs', collector).toString();
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ run, requests }), signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    if (!res.ok) return { ok: false, reason: `HTTP ${res.status}: ${text.slice(0, 200)}` };
    return { ok: true, location: new URL(`/runs/${encodeURIComponent(run.id)}`, collector).toString() };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
