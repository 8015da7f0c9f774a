/**
 * A schema 2 file (tier blocks and 1m sketches written at every flush, the first block and sketch
 * layouts) opens under schema 3 with nothing lost: the new 5 min tier and the period rollup's
 * watermark are derived from what is there, answers equal the raw aggregates, and new data rolls
 * up on top.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesBuckets } from '../collector/src/query/series-buckets.ts';
import { encodeChunk } from '../collector/src/store/chunks/chunk-codec.ts';
import { ChunkedStore } from '../collector/src/store/chunked-store.ts';
import { MIGRATIONS } from '../collector/src/store/schema/migrations.ts';
import { aggregate } from '../collector/src/store/rollups/rollup-tiers.ts';
import type { Agg } from '../collector/src/store/rollups/rollup-tiers.ts';
import { openDatabase } from '../collector/src/store/schema/sqlite-db.ts';
import { legacyBlock, legacySketch } from './support/legacy-layouts.ts';
import { rankError } from './support/rank-error.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.UTC(2025, 0, 1);
const dir = mkdtempSync(join(tmpdir(), 'store-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const value = (i: number): number => Math.round(50 + 40 * Math.sin(i / 300) + 9 * Math.sin(i * 1.7)) / 100;

/** Schema 2's exact sketch: mode 0, n, then (f64 value, uvarint count) pairs. */
/** Writes 3 h of 2 Hz points of one series the way schema 2 did; returns every point. */
function writeSchema2(): { ts: number[]; values: number[] } {
  const db = new Database(join(dir, 'sigmascope.db'));
  db.exec('create table schema_version (version integer not null)');
  for (let v = 0; v < 2; v++) {
    db.exec(MIGRATIONS[v] as string);
    db.prepare('insert into schema_version (version) values (?)').run(v + 1);
  }
  db.prepare("insert into series (id, agent_id, name, labels, key) values (1, 'a', 'm', '{}', '{}')").run();
  const all = { ts: [] as number[], values: [] as number[] };
  const ts = Float64Array.from({ length: 3 * 7200 }, (_, i) => T0 + i * 500);
  const values = Float64Array.from(ts, (_, i) => value(i));
  all.ts.push(...ts);
  all.values.push(...values);
  for (let m = 0; m < 180; m++) {
    const [a, b] = [m * 120, (m + 1) * 120];
    db.prepare('insert into chunks (series_id, t_min, t_max, n, data) values (1, ?, ?, ?, ?)').run(ts[a], ts[b - 1], 120, encodeChunk(ts, values, a, b));
    db.prepare('insert into sketch_1m (series_id, ts, data) values (1, ?, ?)').run(T0 + m * MIN, legacySketch(values.subarray(a, b)));
  }
  for (const [table, bucket, block] of [['rollup_10s', 10_000, 600_000], ['rollup_1m', MIN, H], ['rollup_1h', H, 24 * H]] as const) {
    const aggs = aggregate(ts, values, bucket);
    for (let start = T0; start < T0 + 3 * H; start += block) {
      const part = aggs.filter((x) => x.start >= start && x.start < start + block);
      if (part.length > 0) db.prepare(`insert into ${table} (series_id, block, data) values (1, ?, ?)`).run(start, legacyBlock(start, bucket, part));
    }
  }
  // Hours 0 and 1 were rolled into 1h sketches; hour 2 not yet.
  for (const h of [0, 1]) db.prepare('insert into sketch_1h (series_id, ts, data) values (1, ?, ?)').run(T0 + h * H, legacySketch(values.subarray(h * 7200, (h + 1) * 7200)));
  db.prepare("insert into store_meta (key, value) values ('hour_rolled_through', ?)").run(T0 + 2 * H);
  db.close();
  return all;
}

describe('schema 2 → 3', () => {
  const truth = writeSchema2();
  let clock = T0 + 3 * H + 5 * MIN;
  const opened = openDatabase(dir);
  const store = new ChunkedStore(opened.db, { clock: () => clock });

  function check(from: number, to: number, step: number): void {
    const want = new Map<number, { count: number; sum: number; min: number; max: number }>();
    truth.ts.forEach((t, i) => {
      if (t < from || t > to) return;
      const v = truth.values[i] as number;
      const b = Math.floor(t / step) * step;
      const a = want.get(b);
      if (a === undefined) want.set(b, { count: 1, sum: v, min: v, max: v });
      else Object.assign(a, { count: a.count + 1, sum: a.sum + v, min: Math.min(a.min, v), max: Math.max(a.max, v) });
    });
    const got = seriesBuckets(store, 1, from, to, step, clock).buckets;
    expect(got.map((b) => b.start)).toEqual([...want.keys()].sort((a, b) => a - b));
    for (const b of got) {
      const w = want.get(b.start) as { count: number; sum: number; min: number; max: number };
      expect([b.count, b.min, b.max]).toEqual([w.count, w.min, w.max]);
      expect(Math.abs(b.sum - w.sum)).toBeLessThanOrEqual(1e-9 * Math.abs(w.sum));
    }
  }

  it('migrates through schema 3 to the latest and derives the 5 min tier and the missing 1h sketches', () => {
    // Every later migration runs too (schema 4: the quarantine, empty for this file).
    expect(opened.db.prepare('select max(version) from schema_version').pluck().get()).toBe(MIGRATIONS.length);
    expect(opened.db.prepare('select count(*) from quarantine').pluck().get()).toBe(0);
    expect(opened.db.prepare('select count(*) from agents where quarantined <> 0').pluck().get()).toBe(0);
    expect(opened.db.prepare("select count(*) from store_meta where key = 'rollup_upgrade_pending'").pluck().get()).toBe(0);
    expect(opened.db.prepare('select count(*) from rollup_5m').pluck().get()).toBe(1);
    expect(opened.db.prepare('select count(*) from sketch_1h').pluck().get()).toBe(3);
    for (const step of [10_000, MIN, 5 * MIN, 15 * MIN, H]) check(T0 + 1234, T0 + 3 * H - 1, step);
    const inRange = truth.values.filter((_, i) => (truth.ts[i] as number) >= T0 + 7 * MIN && (truth.ts[i] as number) < T0 + 3 * H - 1).sort((a, b) => a - b);
    const sketch = store.sketch(1, T0 + 7 * MIN, T0 + 3 * H - 1);
    expect(sketch.count).toBe(inRange.length);
    for (const q of [0.5, 0.9, 0.95, 0.99]) expect(rankError(inRange, q, sketch.quantile(q))).toBeLessThanOrEqual(0.01);
  });

  it('rolls new data and late data for old hours on top of the upgraded tiers', () => {
    const ts = Float64Array.from({ length: 7200 }, (_, i) => T0 + 3 * H + i * 500);
    const values = Float64Array.from(ts, (_, i) => value(i + 3 * 7200));
    const late = Float64Array.of(T0 + 30 * MIN + 250, T0 + 2 * H + 30 * MIN + 250);
    store.storeBatch('a', 's', 1, [{ name: 'm', labels: {}, ts, values }], [], clock);
    store.storeBatch('a', 's', 2, [{ name: 'm', labels: {}, ts: late, values: Float64Array.of(0.07, 0.93) }], [], clock);
    truth.ts.push(...ts, ...late);
    truth.values.push(...values, 0.07, 0.93);
    clock = T0 + 4 * H + 5 * MIN;
    store.flush();
    store.rollHours();
    for (const step of [10_000, MIN, 5 * MIN, H]) check(T0, T0 + 4 * H - 1, step);
    const all = truth.values.slice().sort((a, b) => a - b);
    const sketch = store.sketch(1, T0, T0 + 4 * H);
    expect(sketch.count).toBe(all.length);
    for (const q of [0.5, 0.9, 0.99]) expect(rankError(all, q, sketch.quantile(q))).toBeLessThanOrEqual(0.01);
    store.close();
  });
});
