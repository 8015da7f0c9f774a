/**
 * Row access for uploaded benchmark runs (features/runs.ts). A run is stored once: its id is its
 * identity, and a second upload of the same id is refused, never merged.
 */
import type { Statement } from 'better-sqlite3';
import type { RunListing } from '@sigmascope/protocol/bench-records';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** A run to store: the two documents as JSON text, and the listing columns. */
export interface RunUpload extends RunListing {
  readonly runJson: string;
  readonly requestsJson: string;
}

export class RunRows {
  private readonly s: Record<'add' | 'list' | 'get', Statement>;

  constructor(db: SqliteDb) {
    this.s = {
      add: db.prepare('insert into bench_runs (id, suite_name, started_at, ended_at, uploaded_at, uploaded_by, request_count, run_json, requests_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing'),
      list: db.prepare('select id, suite_name as suiteName, started_at as startedAt, ended_at as endedAt, uploaded_at as uploadedAt, uploaded_by as uploadedBy, request_count as requests from bench_runs order by started_at desc, id desc limit ?'),
      get: db.prepare('select run_json as run, requests_json as requests from bench_runs where id = ?'),
    };
  }

  /** Stores a run; false when a run with that id is already stored (nothing changes then). */
  add(r: RunUpload): boolean {
    return this.s.add.run(r.id, r.suiteName, r.startedAt, r.endedAt, r.uploadedAt, r.uploadedBy, r.requests, r.runJson, r.requestsJson).changes === 1;
  }

  /** Newest first, at most `limit`. */
  list(limit: number): RunListing[] {
    return this.s.list.all(limit) as RunListing[];
  }

  /** The stored documents as JSON text, or null. */
  get(id: string): { run: string; requests: string } | null {
    return (this.s.get.get(id) as { run: string; requests: string } | undefined) ?? null;
  }
}
