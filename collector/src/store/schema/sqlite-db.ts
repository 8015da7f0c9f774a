/**
 * Opens the collector's one SQLite file (WAL, synchronous=NORMAL: a committed transaction survives
 * a process kill), loads sqlite-vec, and applies versioned migrations (the core's, then each
 * feature's, feature-migrations.ts). The only file that imports
 * the SQLite driver.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { FEATURE_MIGRATIONS } from './feature-migrations.ts';
import { MIGRATIONS } from './migrations.ts';

export type SqliteDb = Db;

export interface OpenedDb {
  readonly db: SqliteDb;
  readonly path: string;
  /** sqlite-vec version, or null when the extension could not load on this platform. */
  readonly vecVersion: string | null;
}

/**
 * Opens (creating) DATA/sigmascope.db and brings its schema to the latest version. `maxBytes`
 * caps the file (SQLite's max_page_count): past it, writes fail as on a full disk, and pages
 * that retention frees are used again.
 */
export function openDatabase(dataDir: string, options: { maxBytes?: number } = {}): OpenedDb {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'sigmascope.db');
  const db = new Database(path);
  // Takes effect only on a new, empty file: retention can then give freed pages back.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Queries read rollup blocks and chunks that ingest would otherwise push out of a 2 MB cache.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  db.pragma('foreign_keys = ON');
  let vecVersion: string | null = null;
  try {
    sqliteVec.load(db);
    vecVersion = (db.prepare('select vec_version() as v').get() as { v: string }).v;
  } catch {
    vecVersion = null;
  }
  migrate(db);
  if (options.maxBytes !== undefined) db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / (db.pragma('page_size', { simple: true }) as number)))}`);
  return { db, path, vecVersion };
}

function migrate(db: SqliteDb): void {
  db.exec('create table if not exists schema_version (version integer not null)');
  const row = db.prepare('select max(version) as v from schema_version').get() as { v: number | null };
  let version = row.v ?? 0;
  if (version > MIGRATIONS.length) throw new Error(`database schema version ${version} is newer than this collector understands (${MIGRATIONS.length})`);
  for (; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('insert into schema_version (version) values (?)').run(version + 1);
    })();
  }
  migrateFeatures(db, FEATURE_MIGRATIONS);
}

/** Brings each feature's tables to its latest version (feature-migrations.ts), each step in its own transaction. */
export function migrateFeatures(db: SqliteDb, features: Readonly<Record<string, readonly string[]>>): void {
  db.exec('create table if not exists feature_schema (feature text primary key, version integer not null) without rowid');
  const read = db.prepare('select version from feature_schema where feature = ?');
  const write = db.prepare('insert into feature_schema (feature, version) values (?, ?) on conflict (feature) do update set version = excluded.version');
  for (const [feature, migrations] of Object.entries(features)) {
    let at = (read.get(feature) as { version: number } | undefined)?.version ?? 0;
    if (at > migrations.length) throw new Error(`database schema of ${feature} is at version ${at}, newer than this collector understands (${migrations.length})`);
    for (; at < migrations.length; at++) {
      const sql = migrations[at] as string;
      db.transaction(() => {
        db.exec(sql);
        write.run(feature, at + 1);
      })();
    }
  }
}
