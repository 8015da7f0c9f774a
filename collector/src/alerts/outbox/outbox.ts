/**
 * The alert outbox: sends what the engine queued in the store, one attempt at a time per
 * notification, until each is delivered or given up. Because the queue is the store, a
 * notification queued before a crash is sent after the restart, under its own id.
 *
 *   tick (every POLL_MS, or at once after wake()) ─▶ due rows (not in flight) ─▶ channel.send
 *        ok ─▶ delivered │ retryable ─▶ next_at = now + retryDelayMs │ permanent / too old ─▶ failed
 *
 * A result is written after the attempt; a crash in between sends the same notification (same
 * id) again after the restart: at-least-once delivery, exactly-once for receivers that dedupe on
 * the id (Standard Webhooks' webhook-id, the email Message-ID).
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { NotificationRows } from '../../store/rows/notification-rows.ts';
import type { DueNotification } from '../../store/rows/notification-rows.ts';
import type { DeliveryConfig } from '../config/alerts-config.ts';
import { formatDuration } from '../config/duration.ts';
import type { Channel } from '../channels/channel.ts';
import { retryDelayMs } from './backoff.ts';

const POLL_MS = 500;
const BATCH = 32;
/** stop() waits at most this long for attempts that ignore the abort (SMTP), so a collector stops promptly. */
const STOP_GRACE_MS = 2_000;

export interface OutboxDeps {
  readonly rows: NotificationRows;
  readonly channels: ReadonlyMap<string, Channel>;
  readonly delivery: DeliveryConfig;
  readonly log: Logger;
  readonly clock?: () => number;
  readonly random?: () => number;
}

export class Outbox {
  private readonly d: OutboxDeps;
  private readonly clock: () => number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private readonly stopping = new AbortController();

  constructor(deps: OutboxDeps) {
    this.d = deps;
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Sends what is due now instead of at the next poll (the engine queued something). */
  wake(): void {
    if (this.running) this.schedule(0);
  }

  /**
   * Stops polling and abandons the attempts in flight (they stay pending and are sent again,
   * same id, after the next start); waits at most STOP_GRACE_MS for them to record that.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.stopping.abort();
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(this.inFlight.values()), new Promise<void>((resolve) => { grace = setTimeout(resolve, STOP_GRACE_MS); })]);
    clearTimeout(grace);
    await Promise.all([...this.d.channels.values()].map((c) => c.close().catch(() => {})));
  }

  /** One round: starts an attempt for every due notification not already in flight. Resolves when they are done (for tests). */
  async tick(): Promise<void> {
    let due: DueNotification[];
    try {
      due = this.d.rows.due(this.clock(), BATCH);
    } catch (err) {
      this.d.log.error('outbox read failed', { err });
      return;
    }
    const started: Promise<void>[] = [];
    for (const item of due) {
      const id = item.notification.id;
      if (this.inFlight.has(id)) continue;
      const p = this.attempt(item).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, p);
      started.push(p);
    }
    await Promise.all(started);
  }

  private schedule(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.running) return;
      void this.tick().catch((err: unknown) => this.d.log.error('outbox round failed', { err }));
      if (this.running && this.timer === null) this.schedule(POLL_MS);
    }, ms);
  }

  private async attempt(item: DueNotification): Promise<void> {
    const n = item.notification;
    const channel = this.d.channels.get(item.channel);
    const rows = this.d.rows;
    if (channel === undefined) {
      rows.failed(n.id, `no channel named ${item.channel} is configured any more`, null);
      return;
    }
    const outcome = await channel.send(n, AbortSignal.any([AbortSignal.timeout(this.d.delivery.timeoutMs), this.stopping.signal]));
    const now = this.clock();
    const attempts = item.attempts + 1;
    const fields = { channel: channel.name, notification: n.id, alert: n.alert.id, kind: n.kind, attempts };
    try {
      if (outcome.ok) {
        rows.delivered(n.id, now, outcome.status);
        this.d.log.info('alert notification delivered', fields);
      } else if (!outcome.retry) {
        rows.failed(n.id, `gave up: ${outcome.error}`, outcome.status);
        this.d.log.warn('alert notification refused; given up', { ...fields, error: outcome.error });
      } else if (now - item.createdAt >= this.d.delivery.giveUpAfterMs) {
        rows.failed(n.id, `gave up after ${attempts} attempts over ${formatDuration(this.d.delivery.giveUpAfterMs)}: ${outcome.error}`, outcome.status);
        this.d.log.warn('alert notification undelivered for too long; given up', { ...fields, error: outcome.error });
      } else {
        const delay = retryDelayMs(attempts, this.d.delivery.backoffBaseMs, this.d.delivery.backoffCapMs, outcome.afterMs, this.d.random);
        rows.retry(n.id, now + delay, outcome.error, outcome.status);
        this.d.log.info('alert notification failed; will retry', { ...fields, error: outcome.error, retryInMs: delay });
      }
    } catch (err) {
      // The attempt happened but its result could not be written: it will be sent again (same id).
      this.d.log.error('outbox write failed', { ...fields, err });
    }
  }
}
