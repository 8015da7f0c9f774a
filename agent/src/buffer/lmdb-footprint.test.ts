import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { LeafPacking } from './lmdb-footprint.ts';

const root = mkdtempSync(join(tmpdir(), 'footprint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface TableStats {
  pageSize: number;
  treeLeafPageCount: number;
  overflowPages: number;
}

/** Appends `count` records of `size` bytes in key order, as the buffer does; returns the table's page counts. */
async function appendRecords(size: number, count: number): Promise<TableStats> {
  const env = open({ path: mkdtempSync(join(root, 'e-')), maxDbs: 4, compression: false });
  const db = env.openDB<Uint8Array, number>({ name: 'frames', encoding: 'binary', keyEncoding: 'uint32' });
  for (let seq = 1; seq <= count; seq += 10) {
    await env.transaction(() => {
      for (let k = seq; k < Math.min(seq + 10, count + 1); k++) db.putSync(k, new Uint8Array(size).fill(k & 255), { append: true });
    });
  }
  const stats = db.getStats() as TableStats;
  await env.close();
  return stats;
}

describe('LeafPacking', () => {
  // Sizes across small records, both sides of the half-page limit, and multi-page overflow records.
  const sizes = [8, 100, 571, 890, 1008, 1300, 1350, 1822, 2010, 2020, 2022, 2023, 2024, 2030, 2100, 3000, 4072, 4073, 4074, 6008, 8168, 8169, 8170, 20_000];

  it.each(sizes)('charges %i-byte records exactly the pages LMDB gives the frames table', async (size) => {
    const count = 60;
    const stats = await appendRecords(size, count);
    const packing = new LeafPacking(stats.pageSize);
    let charged = 0;
    for (let i = 0; i < count; i++) charged += packing.place(size);
    // Every page the table holds is charged to some record, except the free tail of the last leaf.
    expect(charged + packing.mark()).toBe((stats.treeLeafPageCount + stats.overflowPages) * stats.pageSize);
  });

  it('restores the fill of the last page after a failed write', () => {
    const packing = new LeafPacking(4096);
    packing.place(1000);
    const mark = packing.mark();
    packing.place(3000);
    packing.restore(mark);
    expect(packing.mark()).toBe(mark);
    expect(packing.place(1000)).toBe(8 + 4 + 1000 + 2);
  });
});
