import { describe, expect, it } from 'vitest';
import { csvCell, csvText, fileStem, rangeText, seriesCsv } from './chart-export.ts';

describe('chart export', () => {
  it('quotes CSV cells only when needed', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvText(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });

  it('writes one row per point with ISO time, the host, the full series name and its unit', () => {
    const key = 'gen_ai.client.operation.time_to_first_chunk{gen_ai.provider.name="openai",gen_ai.request.model="gpt-4o"}';
    const text = seriesCsv([{ host: 'gpu-01', key, unit: 's', points: [[0, 0.25], [500, 0.5]] }]);
    expect(text.split('\r\n')).toEqual([
      'time,ts_ms,host,series,unit,value',
      `1970-01-01T00:00:00.000Z,0,gpu-01,"${key.replace(/"/g, '""')}",s,0.25`,
      `1970-01-01T00:00:00.500Z,500,gpu-01,"${key.replace(/"/g, '""')}",s,0.5`,
      '',
    ]);
    expect(rangeText(new Date(2026, 11, 3, 12, 0, 0).getTime(), new Date(2026, 11, 3, 12, 15, 0).getTime())).toBe('2026-12-03 12:00:00 – 12:15:00 (local time)');
    expect(fileStem('GPU util (gpu-01)')).toBe('gpu-util-gpu-01');
  });
});
