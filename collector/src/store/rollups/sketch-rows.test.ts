import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { legacySketch } from '../../../../tests/support/legacy-layouts.ts';
import { QuantileSketch } from './quantile-sketch.ts';
import { SketchRows } from './sketch-rows.ts';

const quantiles = (s: QuantileSketch): number[] => [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1].map((q) => s.quantile(q));

/** Rows of every stored form: schema 2 exact pairs, exact columns, DDSketch bins. */
function fill(db: Database.Database): SketchRows {
  db.exec('create table sketch_1m (series_id integer not null, ts integer not null, data blob not null, primary key (series_id, ts)) without rowid');
  const rows = new SketchRows(db, 'sketch_1m');
  db.prepare('insert into sketch_1m values (1, 0, ?)').run(legacySketch([0.25, 0.25, 0.25, -1]));
  for (let m = 1; m < 90; m++) {
    const values = Float64Array.from({ length: 120 }, (_, i) => (m % 3 === 0 ? Math.exp(Math.sin(m * 120 + i) * 0.3) : Math.round(50 + 40 * Math.sin(m + i / 7)) / 100));
    rows.addEncoded(1, m * 60_000, QuantileSketch.encodeValues(values) as Uint8Array);
    rows.addEncoded(2, m * 60_000, QuantileSketch.encodeValues(values.subarray(0, 5)) as Uint8Array);
  }
  return rows;
}

describe('sketch rows', () => {
  for (const encoding of ['UTF-8', 'UTF-16le']) {
    it(`merge a range of rows of every form as decoding and merging each row does (${encoding} file)`, () => {
      const db = new Database(':memory:');
      db.pragma(`encoding = '${encoding}'`);
      const rows = fill(db);
      for (const [from, to] of [[0, 90 * 60_000], [60_000, 61_000], [30 * 60_000, 47 * 60_000], [95 * 60_000, 99 * 60_000]] as const) {
        const want = new QuantileSketch();
        for (const { sketch } of rows.read(1, from, to)) want.merge(sketch);
        const got = new QuantileSketch();
        rows.mergeInto(got, 1, from, to);
        expect([got.count, got.min, got.max]).toEqual([want.count, want.min, want.max]);
        expect(quantiles(got)).toEqual(quantiles(want));
      }
      const other = new QuantileSketch();
      rows.mergeInto(other, 2, 0, 90 * 60_000);
      expect(other.count).toBe(89 * 5);
      db.close();
    });
  }
});
