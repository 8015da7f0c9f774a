/**
 * A Channel that keeps what it is sent, in memory, and answers from a script: the in-memory
 * implementation of the port, for the engine's and the outbox's tests and for a dry run.
 */
import type { Notification } from '../alert.ts';
import type { Channel, SendOutcome } from './channel.ts';

export class MemoryChannel implements Channel {
  readonly type = 'memory';
  readonly name: string;
  /** Every attempt, in order (a retried notification appears once per attempt). */
  readonly attempts: Notification[] = [];
  /** Outcomes to answer with before answering ok, first first. */
  readonly script: SendOutcome[] = [];

  constructor(name: string) {
    this.name = name;
  }

  async send(n: Notification): Promise<SendOutcome> {
    this.attempts.push(n);
    return this.script.shift() ?? { ok: true, status: null };
  }

  /** Notifications delivered (answered ok), by id, in order. */
  delivered(): Notification[] {
    return this.attempts.filter((n, i, all) => all.findIndex((m) => m.id === n.id) === i);
  }

  async close(): Promise<void> {}
}
