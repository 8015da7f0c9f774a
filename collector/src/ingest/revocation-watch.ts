/**
 * Revocation on open connections: a token is checked at the upgrade, and again every few seconds
 * for as long as its connection stays open, so `sigmascope token revoke NAME` (run by another
 * process, on the same database) cuts an agent off within REVOCATION_CHECK_MS instead of never.
 *
 *   upgrade ─ verify(token) ─▶ watch(hash, onRevoked) ──▶ every 2 s: verifyHash(hash) ─ null ─▶ onRevoked()
 *                                    ▲ unwatch on close                                          (close 4004)
 *
 * One primary-key lookup per open connection per check: microseconds each, so a thousand agents
 * cost well under a millisecond a second.
 */
import type { TokenStore } from '../auth/token-store.ts';

export const REVOCATION_CHECK_MS = 2_000;

/** Watches the tokens of open connections; one per ingest server. `stop` ends the checks. */
export class RevocationWatch {
  private readonly tokens: TokenStore;
  private readonly watched = new Map<symbol, { readonly hash: string; readonly onRevoked: () => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(tokens: TokenStore, everyMs = REVOCATION_CHECK_MS) {
    this.tokens = tokens;
    this.timer = setInterval(() => this.check(), everyMs);
    this.timer.unref();
  }

  /** Calls `onRevoked` once, at the first check that finds the token revoked; the returned function stops watching. */
  watch(hash: string, onRevoked: () => void): () => void {
    const key = Symbol(hash);
    this.watched.set(key, { hash, onRevoked });
    return () => void this.watched.delete(key);
  }

  /** Checks every watched token now. A store that cannot answer leaves the connections as they are until the next check. */
  check(): void {
    const live = new Map<string, boolean>();
    for (const [key, w] of this.watched) {
      let ok = live.get(w.hash);
      if (ok === undefined) {
        try {
          ok = this.tokens.verifyHash(w.hash) !== null;
        } catch {
          return;
        }
        live.set(w.hash, ok);
      }
      if (ok) continue;
      this.watched.delete(key);
      w.onRevoked();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }
}
