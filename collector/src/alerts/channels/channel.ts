/**
 * The port every alert channel implements (one file per type beside this one, named in
 * channel-types.ts; all run the contract suite channel.case.test.ts).
 *
 * Lifecycle: built once at start from its frozen config; `send` is called by the outbox, one
 * call per attempt, with the same Notification (same id) on every retry of it; `close` at stop.
 * `send` never throws: whether a failure is worth retrying is decided here, where it happens.
 */
import type { Notification } from '../alert.ts';

export type SendOutcome =
  | { readonly ok: true; readonly status: number | null }
  /** Try again later; `afterMs` when the receiver said when (HTTP 429/503 Retry-After). */
  | { readonly ok: false; readonly retry: true; readonly afterMs: number | null; readonly status: number | null; readonly error: string }
  /** Retrying cannot help (a 4xx other than 408/429, an SMTP 5xx, a refused login): give up and show why. */
  | { readonly ok: false; readonly retry: false; readonly status: number | null; readonly error: string };

export interface Channel {
  readonly name: string;
  readonly type: string;
  /** One delivery attempt, abandoned when `signal` aborts (the outbox's timeout). */
  send(notification: Notification, signal: AbortSignal): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** The line a person reads first, in a Slack message and an email subject: `[FIRING] rule: summary`. */
export function headline(n: Notification): string {
  return `[${n.alert.state === 'firing' ? 'FIRING' : 'RESOLVED'}] ${n.alert.rule}: ${n.alert.summary}`;
}
