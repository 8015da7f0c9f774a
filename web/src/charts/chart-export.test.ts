import { describe, expect, it } from 'vitest';
import { csvCell, csvText, fileStem, seriesCsv } from './chart-export.ts';

describe('chart export', () => {
  it('quotes CSV cells only when needed', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvText(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });

  it('writes one row per point with ISO time and the series label', () => {
    const text = seriesCsv([{ label: 'TTFT openai/gpt-4o', points: [[0, 0.25], [500, 0.5]] }]);
    expect(text.split('\r\n')).toEqual([
      'time,ts_ms,series,value',
      '1970-01-01T00:00:00.000Z,0,TTFT openai/gpt-4o,0.25',
      '1970-01-01T00:00:00.500Z,500,TTFT openai/gpt-4o,0.5',
      '',
    ]);
    expect(fileStem('GPU util (gpu-01)')).toBe('gpu-util-gpu-01');
  });
});
