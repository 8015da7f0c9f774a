/**
 * The stable `error.type` values of a failed probe, and the classification of HTTP failures into
 * them. Decided here, where the failure is seen, so the runner only reads the value.
 */

/** Stable `error.type` label values. Never renamed: dashboards and alerts key on them. */
export const ErrorType = {
  timeout: 'timeout',
  connect: 'connect',
  tls: 'tls',
  http4xx: 'http_4xx',
  http5xx: 'http_5xx',
  rateLimited: 'rate_limited',
  overloaded: 'overloaded',
  streamError: 'stream_error',
  invalidResponse: 'invalid_response',
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Whether the provider is telling us to slow down: the runner backs off on these. */
export function isBackoffError(t: ErrorType | null): boolean {
  return t === ErrorType.rateLimited || t === ErrorType.overloaded || t === ErrorType.http5xx;
}

/**
 * Classifies a non-2xx response from its status and (capped) body text. The body decides only
 * where providers are known to disagree with their status: Anthropic's `overloaded_error`,
 * `rate_limit_error`, and Google's `RESOURCE_EXHAUSTED`.
 */
export function classifyHttpFailure(status: number, bodyText: string): ErrorType {
  if (status === 429 || /"(rate_limit_error|RESOURCE_EXHAUSTED|rate_limit_exceeded)"/.test(bodyText)) return ErrorType.rateLimited;
  if (status === 529 || /"overloaded_error"/.test(bodyText)) return ErrorType.overloaded;
  if (status >= 500) return ErrorType.http5xx;
  if (status >= 400) return ErrorType.http4xx;
  // 1xx/3xx as a final answer to a POST: not an API response we can read.
  return ErrorType.invalidResponse;
}

/**
 * How long to wait before the next request, from `retry-after` / `retry-after-ms` headers or an
 * OpenAI-style hint inside the body ("Please try again in 1.574s", "in 644ms"). Null when absent
 * or nonsensical (negative values, as Azure sends in its rate-limit headers).
 */
export function retryAfterMs(headers: Readonly<Record<string, string | string[] | undefined>>, bodyText: string, nowMs: number = Date.now()): number | null {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const ms = header('retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const ra = header('retry-after');
  if (ra !== undefined) {
    const t = ra.trim();
    if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
    const date = Date.parse(t);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const hint = /try again in (\d+(?:\.\d+)?)(ms|s)\b/i.exec(bodyText);
  if (hint) return Math.round(Number(hint[1]) * (hint[2] === 'ms' ? 1 : 1000));
  return null;
}

/** Short, single-line text of an error body for messages: the provider's `message` when it has one. */
export function errorBodyMessage(bodyText: string): string {
  try {
    const j = JSON.parse(bodyText) as { error?: unknown; message?: unknown };
    const e = j.error;
    if (typeof e === 'string') return e.slice(0, 300);
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return ((e as { message: string }).message).slice(0, 300);
    if (typeof j.message === 'string') return j.message.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return bodyText.replace(/\s+/g, ' ').trim().slice(0, 300);
}
