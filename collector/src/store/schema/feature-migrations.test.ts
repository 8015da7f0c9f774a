import { describe, expect, it } from 'vitest';
import { openDatabase, migrateFeatures } from './sqlite-db.ts';
import { scratchDirs } from '../../../../tests/support/scratch-dirs.ts';

const freshDir = scratchDirs('feature-migrations-');

describe('feature migrations', () => {
  it('applies each feature in order once, versions them apart, and refuses a newer file', () => {
    const { db } = openDatabase(freshDir());
    migrateFeatures(db, { alpha: ['create table alpha (x integer)', 'alter table alpha add column y integer'], beta: ['create table beta (z integer)'] });
    migrateFeatures(db, { alpha: ['create table alpha (x integer)', 'alter table alpha add column y integer'], beta: ['create table beta (z integer)'] });
    // The product's own features (FEATURE_MIGRATIONS) are there too; this test is about its two.
    const versions = db.prepare("select feature, version from feature_schema where feature in ('alpha', 'beta') order by feature").all();
    expect(versions).toEqual([{ feature: 'alpha', version: 2 }, { feature: 'beta', version: 1 }]);
    db.prepare('insert into alpha (x, y) values (1, 2)').run();
    expect(() => migrateFeatures(db, { alpha: ['create table alpha (x integer)'] })).toThrow(/alpha is at version 2, newer than this collector understands \(1\)/);
    db.close();
  });
});
