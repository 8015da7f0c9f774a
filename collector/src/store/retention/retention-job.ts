/**
 * Retention, run in the background: removes raw points older than the raw cutoff (whole chunks,
 * and the old part of a chunk that straddles the cutoff, rewritten), tier buckets that ended at or
 * before their tier's cutoff (whole blocks, and straddling blocks rewritten), and sketches likewise;
 * then hands freed pages back to the file system (incremental vacuum) so the file does not grow
 * without bound. Each step is one transaction; a crash between steps leaves a consistent file.
 */
import type { Statement } from 'better-sqlite3';
import { decodeChunk, encodeChunk } from '../chunks/chunk-codec.ts';
import type { RetentionPolicy } from './retention-policy.ts';
import { decodeBlock, encodeBlock, TIERS } from '../rollups/rollup-tiers.ts';
import type { Tier } from '../rollups/rollup-tiers.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

/** What one run removed. */
export interface RetentionResult {
  readonly chunksDeleted: number;
  readonly chunksRewritten: number;
  readonly blocksDeleted: number;
  readonly blocksRewritten: number;
  readonly sketchesDeleted: number;
  /** Quarantined samples (quarantine-rows.ts) that arrived before the raw cutoff. */
  readonly quarantineDeleted: number;
}

export class RetentionJob {
  private readonly db: SqliteDb;
  private readonly policy: RetentionPolicy;
  private readonly s: { dropChunks: Statement; straddling: Statement; rewrite: Statement; dropChunk: Statement };

  constructor(db: SqliteDb, policy: RetentionPolicy) {
    this.db = db;
    this.policy = policy;
    this.s = {
      dropChunks: db.prepare('delete from chunks where t_max < ?'),
      straddling: db.prepare('select rowid, data from chunks where t_min < ? and t_max >= ?').raw(),
      rewrite: db.prepare('update chunks set t_min = ?, n = ?, data = ? where rowid = ?'),
      dropChunk: db.prepare('delete from chunks where rowid = ?'),
    };
  }

  private keepMs(t: Tier): number {
    // The 5 min tier is read where the 1 min tier would be, so it is kept as long.
    return t.name === '10s' ? this.policy.tier10sMs : t.name === '1h' ? this.policy.tier1hMs : this.policy.tier1mMs;
  }

  /** Applies the policy as of `now`. Throws when SQLite refuses (nothing of that step changed). */
  run(now: number): RetentionResult {
    // Raw points the period rollup has not read yet stay until it has (it runs every minute).
    const rolled = this.db.prepare("select value from store_meta where key = 'rolled_through'").pluck().get() as number | undefined;
    const rawCutoff = Math.min(now - this.policy.rawMs, rolled ?? Number.NEGATIVE_INFINITY);
    let chunksDeleted = 0;
    let chunksRewritten = 0;
    this.db.transaction(() => {
      chunksDeleted = this.s.dropChunks.run(rawCutoff).changes;
      for (const [rowid, data] of this.s.straddling.all(rawCutoff, rawCutoff) as [number, Uint8Array][]) {
        const p = decodeChunk(data);
        let first = 0;
        while (first < p.ts.length && (p.ts[first] as number) < rawCutoff) first++;
        // Chunks are sorted by ts, so the kept points are a suffix.
        if (first === p.ts.length) this.s.dropChunk.run(rowid);
        else this.s.rewrite.run(p.ts[first], p.ts.length - first, encodeChunk(p.ts, p.values, first), rowid);
        chunksRewritten++;
      }
    })();
    let blocksDeleted = 0;
    let blocksRewritten = 0;
    let sketchesDeleted = 0;
    for (const t of TIERS) {
      const cutoff = now - this.keepMs(t);
      this.db.transaction(() => {
        blocksDeleted += this.db.prepare(`delete from ${t.table} where block <= ?`).run(cutoff - t.blockMs).changes;
        const rows = this.db.prepare(`select series_id, block, data from ${t.table} where block < ? and block > ?`).raw().all(cutoff, cutoff - t.blockMs) as [number, number, Uint8Array][];
        for (const [seriesId, block, data] of rows) {
          const all = decodeBlock(data, block, t.bucketMs);
          const kept = all.filter((a) => a.start + t.bucketMs > cutoff);
          if (kept.length === all.length) continue;
          if (kept.length === 0) this.db.prepare(`delete from ${t.table} where series_id = ? and block = ?`).run(seriesId, block);
          else this.db.prepare(`update ${t.table} set data = ? where series_id = ? and block = ?`).run(encodeBlock(block, t.bucketMs, kept), seriesId, block);
          blocksRewritten++;
        }
        if (t.sketchTable !== null) sketchesDeleted += this.db.prepare(`delete from ${t.sketchTable} where ts <= ?`).run(cutoff - t.bucketMs).changes;
      })();
    }
    const quarantineDeleted = this.db.prepare('delete from quarantine where received_at < ?').run(now - this.policy.rawMs).changes;
    this.db.pragma('incremental_vacuum');
    return { chunksDeleted, chunksRewritten, blocksDeleted, blocksRewritten, sketchesDeleted, quarantineDeleted };
  }
}
