/**
 * One endpoint's stream: reads the intake after its durable cursor, sends through its exporter,
 * and moves the cursor only after the receiver answered. The retrying wraps the exporter here.
 *
 *   intake  … 41 42 43 │ 44 45 46 47 …          cursor = 43 (durable, export_cursors)
 *                      └─ batch (whole records) ─▶ exporter.send
 *             ok   → cursor = 47, sent += n            (then the next batch at once: a backlog
 *             drop → cursor = 47, dropped += n          drains back to back, faster than live,
 *                                                       the next batch read while this one is out)
 *             retry→ wait (full-jitter backoff, or Retry-After), send the same batch again
 *
 * A restart reads the cursor and resends from the record after it, so nothing is skipped; a
 * record is sent again only if the collector died between the receiver's answer and the cursor's
 * commit (at-least-once; Prometheus and VictoriaMetrics with deduplication keep one copy of an
 * identical sample). Samples older than the raw retention are not sent (the store no longer keeps
 * them either) and are counted as dropped: the backlog is bounded by retention.
 */
import type { Logger } from '@sigmascope/protocol/log';
import type { ExportCursorRows } from '../store/rows/export-cursor-rows.ts';
import type { ExportBatch } from './export-batch.ts';
import type { Exporter, ExportResult } from './exporter.ts';
import type { ExportSource, SourceBatch } from './export-source.ts';

export interface ExportStreamOptions {
  /** The cursor's key: protocol and target, e.g. `remote_write http://tsdb:8428/api/v1/write`. */
  readonly endpoint: string;
  readonly exporter: Exporter;
  readonly source: ExportSource;
  readonly cursors: ExportCursorRows;
  /** A batch holds whole records until it has about this many samples. */
  readonly maxSamplesPerSend: number;
  /** How long samples are kept (the raw retention): older ones are not sent. */
  readonly retentionMs: number;
  /** How often a stream that has caught up looks for new records. */
  readonly pollMs: number;
  readonly backoff: { readonly minMs: number; readonly maxMs: number };
  readonly log: Logger;
  readonly clock?: () => number;
  /** Collector-made series (the agent info) to send beside the log, at most once per `extraEveryMs`. */
  readonly extra?: () => ExportBatch | null;
  readonly extraEveryMs?: number;
}

/** What /metrics, /api/v1/stats and the fleet view show of a stream. */
export interface ExportStreamState {
  readonly endpoint: string;
  readonly protocol: string;
  readonly target: string;
  readonly cursor: number;
  readonly tail: number;
  readonly samplesSent: number;
  readonly samplesDropped: number;
  readonly droppedByReason: Readonly<Record<string, number>>;
  readonly retries: number;
  /** Intake records skipped because they did not decode. */
  readonly unreadableRecords: number;
  /** Seconds since the oldest record not yet handed on was committed (0 when caught up). */
  readonly lagSeconds: number;
  readonly lastError: string | null;
  readonly lastSuccessAt: number | null;
}

const MAX_RECORDS_PER_READ = 2_000;

export class ExportStream {
  private readonly o: ExportStreamOptions;
  private readonly clock: () => number;
  private stopped = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private retries = 0;
  private lastError: string | null = null;
  private lastSuccessAt: number | null = null;
  private readonly dropped: Record<string, number> = {};
  /** When records first came into sight: (id, at) pairs, ascending, for the lag. */
  private readonly seen: [number, number][] = [];
  private lastExtraAt = Number.NEGATIVE_INFINITY;
  /** The next batch of a backlog, read while a request was out (see prepareAfter). */
  private prepared: { readonly afterId: number; readonly batch: SourceBatch } | null = null;
  private unreadable = 0;

  constructor(options: ExportStreamOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
    const c = options.cursors.start(options.endpoint, options.source.tail(), this.clock());
    this.noteTail(c.intakeId);
  }

  get endpoint(): string {
    return this.o.endpoint;
  }

  /** Starts sending in the background. */
  start(): void {
    if (this.loop === null) this.loop = this.run();
  }

  /** Stops after the request in flight (if any) is answered; the cursor stays where it is. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  state(): ExportStreamState {
    const c = this.o.cursors.get(this.o.endpoint);
    const cursor = c?.intakeId ?? 0;
    const tail = this.o.source.tail();
    this.noteTail(tail);
    const oldest = this.seen.find(([id]) => id > cursor);
    return {
      endpoint: this.o.endpoint,
      protocol: this.o.exporter.protocol,
      target: this.o.exporter.target,
      cursor,
      tail,
      samplesSent: c?.samplesSent ?? 0,
      samplesDropped: c?.samplesDropped ?? 0,
      droppedByReason: { ...this.dropped },
      retries: this.retries,
      unreadableRecords: this.unreadable,
      lagSeconds: tail <= cursor || oldest === undefined ? 0 : Math.max(0, (this.clock() - oldest[1]) / 1000),
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  /** Sends what is waiting now, until caught up (tests and the benchmark); false if a send failed. */
  async drain(): Promise<boolean> {
    for (;;) {
      const r = await this.step();
      if (r === 'idle') return true;
      if (r === 'failed') return false;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const r = await this.step();
      if (this.stopped) break;
      if (r === 'sent') {
        failures = 0;
        continue;
      }
      if (r === 'idle') {
        failures = 0;
        await this.sleep(this.o.pollMs);
        continue;
      }
      failures++;
      await this.sleep(this.retryDelay(failures));
    }
  }

  private retryAfter: number | undefined;

  private retryDelay(failures: number): number {
    const { minMs, maxMs } = this.o.backoff;
    const asked = this.retryAfter;
    this.retryAfter = undefined;
    if (asked !== undefined) return Math.min(asked, 5 * maxMs);
    // Full jitter: a random wait below an exponentially growing ceiling.
    return minMs + Math.random() * Math.min(maxMs - minMs, minMs * 2 ** Math.min(failures, 20));
  }

  /** One batch: 'sent' (or dropped: the cursor moved), 'idle' (nothing waits), 'failed' (retry later). */
  private async step(): Promise<'sent' | 'idle' | 'failed'> {
    await this.sendExtra();
    const c = this.o.cursors.get(this.o.endpoint);
    if (c === undefined) return 'idle';
    const now = this.clock();
    const b = this.batchAfter(c.intakeId, now);
    if (b === null) return 'idle';
    for (const reason of b.corrupt) this.o.log.error('export: an intake record does not decode; it is skipped', { endpoint: this.o.endpoint, reason });
    if (b.corrupt.length > 0) this.unreadable += b.corrupt.length;
    this.noteTail(b.lastId);
    if (b.expired > 0) this.count('expired', b.expired);
    if (b.samples === 0) {
      this.o.cursors.advance(this.o.endpoint, b.lastId, 0, b.expired, now);
      return 'sent';
    }
    const sending = this.o.exporter.send({ series: b.series });
    if (b.samples >= this.o.maxSamplesPerSend) await this.prepareAfter(b.lastId);
    return this.settle(await sending, b);
  }

  /** The batch after `afterId`: the one prepared while the previous request was out, or read now. */
  private batchAfter(afterId: number, now: number): SourceBatch | null {
    const p = this.prepared;
    this.prepared = null;
    if (p !== null && p.afterId === afterId) return p.batch;
    return this.o.source.read(afterId, this.o.maxSamplesPerSend, MAX_RECORDS_PER_READ, now - this.o.retentionMs);
  }

  /**
   * A backlog: reads (and decodes) the next batch while the receiver works on this one, so the
   * collector's work and the receiver's overlap on different cores. Still one request in flight:
   * the next one is sent only after this one's answer, so each series reaches the receiver in
   * order (Prometheus refuses a sample older than one it has). After a retry the cursor has not
   * moved and the prepared batch is not used.
   */
  private async prepareAfter(afterId: number): Promise<void> {
    // Let the request go out first: the read is synchronous.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = this.o.source.read(afterId, this.o.maxSamplesPerSend, MAX_RECORDS_PER_READ, this.clock() - this.o.retentionMs);
    if (next !== null) this.prepared = { afterId, batch: next };
  }

  private settle(result: ExportResult, b: SourceBatch): 'sent' | 'failed' {
    const now = this.clock();
    if (result.status === 'retry') {
      this.retries++;
      if (this.lastError === null) this.o.log.warn('export: the receiver failed; retrying with backoff', { endpoint: this.o.endpoint, reason: result.reason });
      this.lastError = result.reason;
      this.retryAfter = result.afterMs;
      return 'failed';
    }
    if (result.status === 'drop') {
      this.count('refused', b.samples);
      this.o.log.warn('export: the receiver refused a batch; its samples are dropped and counted', { endpoint: this.o.endpoint, samples: b.samples, reason: result.reason });
      this.o.cursors.advance(this.o.endpoint, b.lastId, 0, b.samples + b.expired, now);
    } else {
      if (this.lastError !== null) this.o.log.info('export: the receiver takes batches again', { endpoint: this.o.endpoint });
      this.lastError = null;
      this.lastSuccessAt = now;
      this.o.cursors.advance(this.o.endpoint, b.lastId, b.samples, b.expired, now);
    }
    this.trimSeen(b.lastId);
    this.o.source.release();
    return 'sent';
  }

  private async sendExtra(): Promise<void> {
    if (this.o.extra === undefined) return;
    const now = this.clock();
    if (now - this.lastExtraAt < (this.o.extraEveryMs ?? 15_000)) return;
    this.lastExtraAt = now;
    const batch = this.o.extra();
    // Best effort: the next period sends fresh values, so a failure is not retried.
    if (batch !== null && batch.series.length > 0) await this.o.exporter.send(batch);
  }

  private count(reason: string, samples: number): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + samples;
  }

  private noteTail(id: number): void {
    const last = this.seen[this.seen.length - 1];
    if (last !== undefined && last[0] >= id) return;
    const now = this.clock();
    // One mark per second is plenty for a lag in seconds.
    if (last !== undefined && now - last[1] < 1_000) last[0] = id;
    else this.seen.push([id, now]);
  }

  private trimSeen(cursor: number): void {
    while (this.seen.length > 1 && (this.seen[1] as [number, number])[0] <= cursor) this.seen.shift();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }
}
