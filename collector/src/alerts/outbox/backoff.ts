/**
 * When to try a failed delivery again: exponential from `baseMs`, doubling per attempt up to
 * `capMs`, with "equal jitter" (half fixed, half random) so receivers coming back are not hit by
 * every collector at once. A receiver's Retry-After is honoured as asked (never sooner than
 * `baseMs`). Pure but for `random`.
 */
export function retryDelayMs(attempts: number, baseMs: number, capMs: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempts - 1, 30));
  const jittered = exp / 2 + random() * (exp / 2);
  return retryAfterMs === null ? Math.round(jittered) : Math.max(retryAfterMs, baseMs);
}
