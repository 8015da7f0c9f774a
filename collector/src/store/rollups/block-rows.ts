/**
 * Rollup blocks in their tier tables: one row per (series, block), read as columns, merged into
 * (insert-or-merge) by the period rollup and by the chunk writer's late path.
 */
import type { Statement } from 'better-sqlite3';
import { decodeBlockColumns, encodeBlockColumns, mergeColumns, TIERS, toColumns } from './rollup-tiers.ts';
import type { Agg, AggColumns, Tier, TierName } from './rollup-tiers.ts';
import type { SqliteDb } from '../schema/sqlite-db.ts';

interface TierRows {
  readonly tier: Tier;
  readonly get: Statement;
  readonly put: Statement;
  readonly range: Statement;
}

export class BlockRows {
  private readonly tiers: Map<TierName, TierRows>;

  constructor(db: SqliteDb) {
    this.tiers = new Map(
      TIERS.map((tier) => [
        tier.name,
        {
          tier,
          get: db.prepare(`select data from ${tier.table} where series_id = ? and block = ?`).pluck(),
          put: db.prepare(`insert into ${tier.table} (series_id, block, data) values (?, ?, ?) on conflict (series_id, block) do update set data = excluded.data`),
          range: db.prepare(`select block, data from ${tier.table} where series_id = ? and block >= ? and block < ? order by block`).raw(),
        },
      ]),
    );
  }

  /**
   * Folds ascending aggregates of one series into the tier's blocks (each bucket lands in the block
   * that holds it). Call inside the writer's or the rollup's transaction.
   */
  merge(tierName: TierName, seriesId: number, aggs: readonly Agg[]): void {
    const { tier, get, put } = this.tiers.get(tierName) as TierRows;
    let i = 0;
    while (i < aggs.length) {
      const block = Math.floor((aggs[i] as Agg).start / tier.blockMs) * tier.blockMs;
      let j = i + 1;
      while (j < aggs.length && (aggs[j] as Agg).start < block + tier.blockMs) j++;
      const add = toColumns(i === 0 && j === aggs.length ? aggs : aggs.slice(i, j));
      const existing = get.get(seriesId, block) as Uint8Array | undefined;
      const merged = existing === undefined ? add : mergeColumns(decodeBlockColumns(existing, block, tier.bucketMs), add);
      put.run(seriesId, block, encodeBlockColumns(block, tier.bucketMs, merged));
      i = j;
    }
  }

  /** Blocks that may hold buckets starting in [from, to), ascending, decoded into columns. */
  read(tierName: TierName, seriesId: number, from: number, to: number): AggColumns[] {
    const { tier, range } = this.tiers.get(tierName) as TierRows;
    const rows = range.all(seriesId, Math.floor(from / tier.blockMs) * tier.blockMs, to) as [number, Uint8Array][];
    return rows.map(([block, data]) => decodeBlockColumns(data, block, tier.bucketMs));
  }
}
