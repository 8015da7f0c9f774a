/**
 * Counts failed authentications per client address in a sliding minute, so repeated guessing
 * from one address gets 429 while every other client is unaffected. Bounded in memory.
 */
export class AuthFailures {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly failures = new Map<string, number[]>();

  constructor(limit = 20, windowMs = 60_000) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** True when `address` has failed `limit` times within the window. */
  blocked(address: string, now: number = Date.now()): boolean {
    const list = this.failures.get(address);
    if (list === undefined) return false;
    while (list.length > 0 && (list[0] as number) <= now - this.windowMs) list.shift();
    if (list.length === 0) this.failures.delete(address);
    return list.length >= this.limit;
  }

  record(address: string, now: number = Date.now()): void {
    if (this.failures.size > 100_000) this.failures.clear();
    const list = this.failures.get(address) ?? [];
    list.push(now);
    if (list.length > this.limit) list.shift();
    this.failures.set(address, list);
  }
}
