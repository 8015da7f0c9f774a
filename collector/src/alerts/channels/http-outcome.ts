/**
 * How an HTTP receiver's answer maps to a delivery outcome, for the webhook and Slack channels:
 * 2xx delivered; 408, 429 and 5xx retried (Retry-After honoured, in seconds or as an HTTP date);
 * any other status given up; a network failure or a timeout retried.
 */
import { redact } from '@sigmascope/protocol/log';
import type { SendOutcome } from './channel.ts';

/** The outcome of an answered request. Reads (and discards) at most a little of the body for the error text. */
export async function outcomeOf(res: Response, now: number = Date.now()): Promise<SendOutcome> {
  const status = res.status;
  let text = '';
  try {
    text = (await res.text()).slice(0, 200);
  } catch {
    // The body is only there to explain a failure.
  }
  if (status >= 200 && status < 300) return { ok: true, status };
  const error = redact(`HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ').trim()}` : ''}`);
  if (status === 408 || status === 429 || status >= 500) return { ok: false, retry: true, afterMs: retryAfterMs(res.headers.get('retry-after'), now), status, error };
  return { ok: false, retry: false, status, error };
}

/** The outcome of a request that got no answer (refused, reset, timed out). */
export function outcomeOfError(err: unknown): SendOutcome {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timed out' : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(err));
  return { ok: false, retry: true, afterMs: null, status: null, error: redact(`no answer: ${why}`) };
}

/** Retry-After as ms from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const h = header.trim();
  if (/^\d+$/.test(h)) return Number(h) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
