import { describe, expect, it } from 'vitest';
import { CAUGHT_UP_LAG_SECONDS, exportState, type ExportLine } from './export-state.ts';

const line = (over: Partial<ExportLine>): ExportLine => ({ protocol: 'remote_write', target: 'http://127.0.0.1:8428/api/v1/write', samplesSent: 1_000, samplesDropped: 0, pendingRecords: 0, lagSeconds: 0, lastError: null, ...over });

describe('exportState', () => {
  it('calls an endpoint caught up while only the last second or two of records wait', () => {
    expect(exportState(line({}))).toEqual({ behind: false, tone: 'ok', text: 'caught up' });
    expect(exportState(line({ pendingRecords: 3, lagSeconds: 1.4 }))).toEqual({ behind: false, tone: 'ok', text: 'caught up' });
    expect(exportState(line({ pendingRecords: 12, lagSeconds: CAUGHT_UP_LAG_SECONDS }))).toMatchObject({ behind: false, text: 'caught up' });
  });

  it('says how far behind an endpoint is once records wait beyond that rhythm', () => {
    const s = exportState(line({ pendingRecords: 1_200, lagSeconds: 600 }));
    expect(s.behind).toBe(true);
    expect(s.tone).toBe('warn');
    expect(s.text).toMatch(/^10 ?min behind$/);
  });

  it('says failing when the last send failed, caught up or not', () => {
    expect(exportState(line({ lastError: 'HTTP 503', pendingRecords: 2, lagSeconds: 1 }))).toEqual({ behind: false, tone: 'bad', text: 'failing' });
    expect(exportState(line({ lastError: 'HTTP 503', pendingRecords: 900, lagSeconds: 90 }))).toMatchObject({ behind: true, tone: 'bad', text: 'failing' });
  });
});
