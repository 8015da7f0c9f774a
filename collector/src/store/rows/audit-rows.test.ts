import { describe, expect, it } from 'vitest';
import { silentLogger } from '@sigmascope/protocol/log';
import { SqliteAuditSink } from '../../audit/sqlite-audit-sink.ts';
import { openDatabase } from '../schema/sqlite-db.ts';
import { scratchDirs } from '../../../../tests/support/scratch-dirs.ts';
import { AuditRows } from './audit-rows.ts';

const freshDir = scratchDirs('audit-rows-');

describe('the audit log', () => {
  it('keeps entries across a reopen, filters by time and action family, and refuses edits', () => {
    const dir = freshDir();
    const first = openDatabase(dir);
    const sink = new SqliteAuditSink(new AuditRows(first.db), silentLogger);
    sink.record({ at: 1_000, actor: 'system', action: 'alert.fire', target: 'al_1', detail: { rule: 'gpu-hot' } });
    sink.record({ at: 2_000, actor: 'ops', action: 'alert.acknowledge', target: 'al_1' });
    sink.record({ at: 3_000, actor: 'ops', action: 'silence.create', target: 'sil_1' });
    sink.record({ at: 4_000, actor: 'ops', action: 'alertx.fire', target: 'x' });
    first.db.close();
    const again = openDatabase(dir);
    const rows = new AuditRows(again.db);
    const list = (action: string | null, from = 0, to = 10_000) => rows.list({ from, to, action, limit: 100 }).map((e) => `${e.at} ${e.actor} ${e.action} ${e.target}`);
    expect(list(null)).toEqual(['4000 ops alertx.fire x', '3000 ops silence.create sil_1', '2000 ops alert.acknowledge al_1', '1000 system alert.fire al_1']);
    expect(list('alert.*')).toEqual(['2000 ops alert.acknowledge al_1', '1000 system alert.fire al_1']);
    expect(list('alert.fire', 500, 1_500)).toEqual(['1000 system alert.fire al_1']);
    expect(rows.list({ from: 0, to: 1_000, action: null, limit: 1 })[0]?.detail).toEqual({ rule: 'gpu-hot' });
    expect(() => again.db.prepare("update audit_log set actor = 'someone else'").run()).toThrow('the audit log is append-only');
    again.db.close();
  });
});
