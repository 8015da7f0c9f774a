/**
 * Retention removes exactly what is older than each resolution's cutoff and nothing newer, and
 * the file stops growing once data ages out at the rate it arrives.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { FrameSeriesCache } from '../collector/src/store/head/frame-series.ts';
import type { ReceivedFrame } from '../collector/src/store/store.ts';
import { RetentionJob } from '../collector/src/store/retention/retention-job.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { scratchDirs } from './support/scratch-dirs.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.UTC(2025, 0, 1);
const freshDir = scratchDirs('store-retention-');
const policy = { rawMs: 6 * H, tier10sMs: 6 * H, tier1mMs: 12 * H, tier1hMs: 24 * H };

/** One point every 10 s for `hours` from `start`, value = minutes since T0. */
function fill(store: ChunkedStore, start: number, hours: number, seq: { n: number }): void {
  for (let t = start; t < start + hours * H; t += 60_000) {
    const ts = Float64Array.from({ length: 6 }, (_, i) => t + i * 10_000 + 1);
    store.storeBatch('a', 's', ++seq.n, [{ name: 'm', labels: {}, ts, values: ts.map((x) => Math.floor((x - T0) / MIN)) }], [], t);
  }
}

describe('retention', () => {
  it('removes raw points, tier buckets and sketches older than their cutoffs, exactly', () => {
    const dir = freshDir();
    let now = T0;
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now, retention: policy });
    const seq = { n: 0 };
    fill(store, T0, 30, seq);
    now = T0 + 30 * H + 5 * MIN;
    store.flush();
    store.rollHours(100);
    const id = (store.findSeries('m', () => true, 1).series[0] as { id: number }).id;
    // Cutoffs fall in the middle of a chunk (raw) and of buckets, to exercise the rewrites.
    now += 7 * 10_000 + 3;
    new RetentionJob(store.database, policy).run(now);

    const rawCut = now - policy.rawMs;
    const all = store.raw(id, 0, Number.MAX_SAFE_INTEGER);
    let expectedRaw = 0;
    for (let k = 0; k < 30 * 360; k++) if (T0 + k * 10_000 + 1 >= rawCut) expectedRaw++;
    expect(all.ts[0]).toBeGreaterThanOrEqual(rawCut);
    expect(all.ts.length).toBe(expectedRaw);
    expect(all.ts[0] as number - 10_000).toBeLessThan(rawCut); // the first point not removed is the first one at/after the cutoff

    for (const [tier, keep, bucket] of [['10s', policy.tier10sMs, 10_000], ['1m', policy.tier1mMs, MIN], ['1h', policy.tier1hMs, H]] as const) {
      const cut = now - keep;
      const b = store.buckets(id, tier, 0, Number.MAX_SAFE_INTEGER);
      expect(b.every((x) => x.start + bucket > cut), `${tier}: nothing ended before the cutoff survives`).toBe(true);
      const firstKept = Math.max(T0, Math.floor(cut / bucket) * bucket + (Math.floor(cut / bucket) * bucket + bucket > cut ? 0 : bucket));
      expect(b[0]?.start, `${tier}: the first bucket still (partly) inside retention stays`).toBe(firstKept);
      expect(b.reduce((s, x) => s + x.count, 0)).toBe(Math.round((T0 + 30 * H - firstKept) / 10_000));
    }
    const sk1m = store.database.prepare('select min(ts) from sketch_1m').pluck().get() as number;
    expect(sk1m + MIN).toBeGreaterThan(now - policy.tier1mMs);
    expect(sk1m).toBeLessThanOrEqual(now - policy.tier1mMs);
    store.close();
  });

  it('keeps the file from growing once data ages out as fast as it arrives', () => {
    const dir = freshDir();
    let now = T0;
    const tight = { rawMs: 2 * H, tier10sMs: 2 * H, tier1mMs: 2 * H, tier1hMs: 2 * H };
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now, retention: tight });
    const job = new RetentionJob(store.database, tight);
    const seq = { n: 0 };
    const sizes: number[] = [];
    for (let round = 0; round < 12; round++) {
      fill(store, T0 + round * H, 1, seq);
      now = T0 + (round + 1) * H + 15_000;
      store.flush();
      store.rollHours(10);
      job.run(now);
      store.database.pragma('wal_checkpoint(TRUNCATE)');
      sizes.push(statSync(join(dir, 'sigmascope.db')).size);
    }
    // After the first few rounds (retention window filling), the size is flat.
    expect(Math.max(...sizes.slice(6))).toBeLessThanOrEqual(Math.max(...sizes.slice(3, 6)));
    store.close();
  });

  it('removes quarantined samples that arrived before the raw cutoff, and only those', () => {
    const dir = freshDir();
    let now = T0;
    const store = new ChunkedStore(openDatabase(dir).db, { clock: () => now, retention: policy });
    const b = new BatchBuilder();
    const frameAt = (seq: number, receivedAt: number): ReceivedFrame => ({
      agentId: 'a', stream: 's', frame: b.seal(seq, receivedAt), bytes: new Uint8Array(), dictionary: new FrameSeriesCache(), receivedAt,
      future: [{ name: 'm', labels: {}, ts: receivedAt + 2 * 24 * H, value: seq }],
    });
    store.storeFrames([frameAt(1, T0)]);
    store.storeFrames([frameAt(2, T0 + 5 * H)]);
    now = T0 + policy.rawMs + H;
    const result = new RetentionJob(store.database, policy).run(now);
    expect(result.quarantineDeleted).toBe(1);
    expect(store.quarantined({ limit: 10 }).map((q) => q.value)).toEqual([2]);
    // The count per agent stays: it is what was acknowledged, not what is kept.
    expect(store.agents()[0]?.quarantinedSamples).toBe(2);
  });
});
