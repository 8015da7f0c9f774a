/**
 * A page's polled JSON resource (the Alerts view's alerts and silences, the providers view's
 * capability report): fetched when the page connects and every `everyMs` while the URL function
 * gives a URL, so a view not shown costs nothing. Holds the last answer and the last error; the
 * page renders them. Writes go through `send`, which refreshes after a success.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class PolledJson<T> implements ReactiveController {
  value: T | null = null;
  /** The last failure's message, cleared by the next success. */
  error: string | null = null;
  private readonly host: ReactiveControllerHost;
  private readonly url: () => string | null;
  private readonly everyMs: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastUrl: string | null = null;
  private version = 0;

  constructor(host: ReactiveControllerHost, url: () => string | null, everyMs: number) {
    this.host = host;
    this.url = url;
    this.everyMs = everyMs;
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => void this.refresh(), this.everyMs);
  }

  hostDisconnected(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Fetches now when the URL changed since the last fetch (call from the page's willUpdate). */
  follow(): void {
    const url = this.url();
    if (url !== null && url !== this.lastUrl) void this.refresh();
  }

  async refresh(): Promise<void> {
    const url = this.url();
    if (url === null) return;
    this.lastUrl = url;
    const v = ++this.version;
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      const body = (await res.json()) as T;
      if (v !== this.version) return;
      this.value = body;
      this.error = null;
    } catch (err) {
      if (v === this.version) this.error = err instanceof Error ? err.message : String(err);
    }
    this.host.requestUpdate();
  }

  /** Sends a write (POST/DELETE with a JSON body); on success refreshes, on failure sets `error` to the server's message. */
  async send(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<boolean> {
    try {
      const res = await fetch(url, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
      if (!res.ok) {
        const msg = ((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message;
        throw new Error(msg ?? `HTTP ${res.status}`);
      }
      await this.refresh();
      return true;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.host.requestUpdate();
      return false;
    }
  }
}
