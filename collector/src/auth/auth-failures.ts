/**
 * Repeated guessing gets 429; the agents that share the guesser's address do not. Failed
 * authentications are counted per client address in a sliding window; past the limit the
 * address is blocked for guesses, but a token that authenticated from that address before (an
 * agent behind the same NAT, reconnecting) still passes: the block is per address AND token.
 * A guess can never be such a token, so the block still stops a guesser from testing tokens.
 *
 *   request(address, token) ── address over the limit? ── no ──▶ verify
 *                                      │ yes
 *                                      └─ token succeeded from this address before? ── yes ─▶ verify
 *                                                                                    └─ no ──▶ 429
 *
 * Memory is bounded: at most MAX_ADDRESSES addresses with failures and as many with trusted
 * tokens (MAX_TRUSTED_PER_ADDRESS each); past that the address touched longest ago is forgotten
 * first (a Map keeps insertion order; a touched entry moves to the end).
 */

export const MAX_ADDRESSES = 100_000;
export const MAX_TRUSTED_PER_ADDRESS = 64;
/** A token that authenticated from an address stays trusted there this long after its last success. */
export const TRUST_MS = 24 * 3_600_000;

export class AuthFailures {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly failures = new Map<string, number[]>();
  /** address → token hash → last success (ms). */
  private readonly trusted = new Map<string, Map<string, number>>();

  constructor(limit = 20, windowMs = 60_000, maxAddresses = MAX_ADDRESSES) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.maxAddresses = maxAddresses;
  }

  /**
   * True when `address` has failed `limit` times within the window and `tokenHash` (the SHA-256
   * of the presented token, or null when none) has not authenticated from it before.
   */
  blocked(address: string, tokenHash: string | null = null, now: number = Date.now()): boolean {
    const list = this.failures.get(address);
    if (list === undefined) return false;
    while (list.length > 0 && (list[0] as number) <= now - this.windowMs) list.shift();
    if (list.length === 0) this.failures.delete(address);
    if (list.length < this.limit) return false;
    if (tokenHash === null) return true;
    const at = this.trusted.get(address)?.get(tokenHash);
    return at === undefined || at <= now - TRUST_MS;
  }

  /** A failed authentication from `address`. */
  record(address: string, now: number = Date.now()): void {
    const list = this.failures.get(address) ?? [];
    this.failures.delete(address);
    list.push(now);
    if (list.length > this.limit) list.shift();
    this.failures.set(address, list);
    evictOldest(this.failures, this.maxAddresses);
  }

  /** A successful authentication of the token with this hash from `address`. */
  succeeded(address: string, tokenHash: string, now: number = Date.now()): void {
    const tokens = this.trusted.get(address) ?? new Map<string, number>();
    this.trusted.delete(address);
    tokens.delete(tokenHash);
    tokens.set(tokenHash, now);
    evictOldest(tokens, MAX_TRUSTED_PER_ADDRESS);
    this.trusted.set(address, tokens);
    evictOldest(this.trusted, this.maxAddresses);
  }

  /** Addresses with failures in memory (for tests of the bound). */
  get size(): number {
    return this.failures.size;
  }
}

function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}
