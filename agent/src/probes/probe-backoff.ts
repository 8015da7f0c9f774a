/**
 * When to probe a target next, from the last result: the policy that wraps the probes (a probe
 * never retries by itself). A probe is a measurement, so a failure is never retried at once:
 *
 *   ok / other failures   → the interval
 *   rate_limited          → the provider's retry-after if longer than the interval, else backoff
 *   overloaded, http_5xx  → exponential backoff from the interval, ×2 per consecutive failure,
 *                           capped at 16 intervals (and 10 min), with jitter in [50 %, 100 %]
 */
import { ErrorType } from './error-type.ts';
import type { ProbeResult } from './probe.ts';

export const BACKOFF_CAP_MS = 10 * 60_000;

/** Delay before the next run. `consecutive` counts failures in a row including this one. */
export function nextDelayMs(result: ProbeResult, consecutive: number, intervalMs: number, random: () => number = Math.random): number {
  const t = result.errorType;
  const backoff = (): number => {
    const ceiling = Math.min(Math.max(BACKOFF_CAP_MS, intervalMs), intervalMs * 2 ** Math.min(consecutive, 4));
    return Math.round(ceiling * (0.5 + 0.5 * random()));
  };
  if (t === ErrorType.rateLimited) return result.retryAfterMs !== null ? Math.max(intervalMs, result.retryAfterMs) : Math.max(intervalMs, backoff());
  if (t === ErrorType.overloaded || t === ErrorType.http5xx) return Math.max(intervalMs, backoff());
  return intervalMs;
}
