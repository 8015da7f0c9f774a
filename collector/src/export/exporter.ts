/**
 * The port every exporter implements (remote-write, OTLP, the in-memory one tests read): send one
 * batch, say what became of it. Whether a failure is worth a retry is decided here, where the
 * response is seen; the retrying and the cursor live in export-stream.ts, around any exporter.
 *
 *   ok     the receiver took the batch (2xx).
 *   retry  try the same batch again later: a 5xx, a 429, a network error or a timeout;
 *          `afterMs` when the receiver said when (Retry-After).
 *   drop   the receiver refused the batch for good (a 4xx other than 429): sending it again
 *          would fail again, so it is counted as dropped and the cursor moves on.
 */
import type { ExportBatch } from './export-batch.ts';

export type ExportResult =
  | { readonly status: 'ok' }
  | { readonly status: 'retry'; readonly reason: string; readonly afterMs?: number }
  | { readonly status: 'drop'; readonly reason: string };

export interface Exporter {
  /** The protocol's name: `remote_write`, `otlp`, `memory`. */
  readonly protocol: string;
  /** Where it sends, with no credentials in it: safe to log and to show. */
  readonly target: string;
  /** Sends one batch; never throws (every failure is a result). */
  send(batch: ExportBatch): Promise<ExportResult>;
}

/** The outcome of an HTTP POST as the exporters classify it (shared by remote-write and OTLP). */
export function classifyHttp(status: number, retryAfter: string | null, body: string, now: number = Date.now()): ExportResult {
  if (status >= 200 && status < 300) return { status: 'ok' };
  const reason = `HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 200).trim()}`}`;
  if (status === 429 || status >= 500) {
    const afterMs = retryAfterMs(retryAfter, now);
    return afterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, afterMs };
  }
  return { status: 'drop', reason };
}

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** POSTs a body and classifies the answer; a network error or a timeout is a retry. */
export async function postBody(url: string, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): Promise<ExportResult> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer>, signal: AbortSignal.timeout(timeoutMs) });
    const text = res.status >= 200 && res.status < 300 ? (await res.arrayBuffer(), '') : await res.text();
    return classifyHttp(res.status, res.headers.get('retry-after'), text);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { status: 'retry', reason: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message) };
  }
}
