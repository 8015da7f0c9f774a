/**
 * The exporters' cursors (schema/features/export-cursors.ts): per endpoint, the last intake
 * record handed on and the samples sent and dropped. Read once at open and kept in memory; each
 * advance is one small transaction of its own, after the receiver answered.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../schema/sqlite-db.ts';

export interface ExportCursor {
  readonly endpoint: string;
  readonly intakeId: number;
  readonly samplesSent: number;
  readonly samplesDropped: number;
  readonly updatedAt: number;
}

export class ExportCursorRows {
  private readonly byEndpoint = new Map<string, ExportCursor>();
  private readonly upsert: Statement;

  constructor(db: SqliteDb) {
    this.upsert = db.prepare(
      'insert into export_cursors (endpoint, intake_id, samples_sent, samples_dropped, updated_at) values (?, ?, ?, ?, ?) on conflict (endpoint) do update set intake_id = excluded.intake_id, samples_sent = excluded.samples_sent, samples_dropped = excluded.samples_dropped, updated_at = excluded.updated_at',
    );
    const rows = db.prepare('select endpoint, intake_id, samples_sent, samples_dropped, updated_at from export_cursors').raw().all() as [string, number, number, number, number][];
    for (const [endpoint, intakeId, samplesSent, samplesDropped, updatedAt] of rows) this.byEndpoint.set(endpoint, { endpoint, intakeId, samplesSent, samplesDropped, updatedAt });
  }

  get(endpoint: string): ExportCursor | undefined {
    return this.byEndpoint.get(endpoint);
  }

  /** Starts a cursor at `intakeId` unless the endpoint has one; returns the endpoint's cursor. */
  start(endpoint: string, intakeId: number, now: number): ExportCursor {
    const known = this.byEndpoint.get(endpoint);
    if (known !== undefined) return known;
    return this.write({ endpoint, intakeId, samplesSent: 0, samplesDropped: 0, updatedAt: now });
  }

  /** Moves the cursor to `intakeId`, adding the samples sent and dropped; durable when it returns. */
  advance(endpoint: string, intakeId: number, sent: number, dropped: number, now: number): ExportCursor {
    const c = this.byEndpoint.get(endpoint);
    if (c === undefined) throw new Error(`no export cursor for ${endpoint}`);
    return this.write({ endpoint, intakeId: Math.max(c.intakeId, intakeId), samplesSent: c.samplesSent + sent, samplesDropped: c.samplesDropped + dropped, updatedAt: now });
  }

  /**
   * The lowest intake id the given endpoints still need (their lowest cursor + 1), or Infinity
   * when none of them has a cursor: the store's flush keeps that record and every later one.
   */
  hold(endpoints: readonly string[]): number {
    let low = Number.POSITIVE_INFINITY;
    for (const e of endpoints) {
      const c = this.byEndpoint.get(e);
      if (c !== undefined && c.intakeId + 1 < low) low = c.intakeId + 1;
    }
    return low;
  }

  private write(c: ExportCursor): ExportCursor {
    this.upsert.run(c.endpoint, c.intakeId, c.samplesSent, c.samplesDropped, c.updatedAt);
    this.byEndpoint.set(c.endpoint, c);
    return c;
  }
}
