import { describe, expect, it } from 'vitest';
import { numericColumn, parseCsv, pickColumn } from './spc-csv.ts';
import { whereRows } from './spc-where.ts';

function table(text: string) {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.error);
  return r.table;
}

describe('spc CSV reading', () => {
  it('handles a BOM, CRLF, blank lines, quoted commas, doubled quotes and newlines in quotes', () => {
    const t = table('\uFEFFname,"note, with comma",value\r\n\r\na,"say ""hi""",1.5\r\nb,"two\nlines",2e-3\r\n\r\n');
    expect(t.header).toEqual(['name', 'note, with comma', 'value']);
    expect(t.rows).toEqual([
      ['a', 'say "hi"', '1.5'],
      ['b', 'two\nlines', '2e-3'],
    ]);
    expect(t.lines).toEqual([3, 4]);
  });

  it('picks the last all-numeric column by default', () => {
    const t = table('a,b,c,note\n1,2,x,\n3,4,5,\n');
    expect(pickColumn(t, undefined)).toEqual({ ok: true, index: 1 });
    expect(pickColumn(t, 'a')).toEqual({ ok: true, index: 0 });
    expect(pickColumn(t, 'z')).toMatchObject({ ok: false });
  });

  it('names the line and column of a cell that is not a number', () => {
    const t = table('x,y\n1,2\n3,abc\n');
    expect(numericColumn(t, 1)).toEqual({ ok: false, error: 'line 3, column 2 ("y"): "abc" is not a number' });
    expect(numericColumn(table('x\n1\n\n'), 0)).toEqual({ ok: true, values: [1] });
    expect(numericColumn(table('x,y\n1,\n'), 1)).toMatchObject({ ok: false, error: expect.stringContaining('line 2') });
    expect(numericColumn(table('x\nNaN\n'), 0)).toMatchObject({ ok: false });
  });

  it('keeps the rows --where asks for', () => {
    const t = table('status,ms\nok,100\nerror,30000\nok,120\nok,x\n');
    const ok = whereRows(t, ['status=ok']);
    expect(ok).toMatchObject({ ok: true, table: { rows: [['ok', '100'], ['ok', '120'], ['ok', 'x']], lines: [2, 4, 5] } });
    expect(whereRows(t, ['status = ok', 'ms<1000'])).toMatchObject({ ok: true, table: { rows: [['ok', '100'], ['ok', '120']] } });
    expect(whereRows(t, ['status!=ok'])).toMatchObject({ ok: true, table: { rows: [['error', '30000']] } });
    expect(whereRows(t, ['sttus=ok'])).toMatchObject({ ok: false, error: expect.stringContaining('no column "sttus"') });
    expect(whereRows(t, ['ms<fast'])).toMatchObject({ ok: false, error: expect.stringContaining('"fast" is not a number') });
    expect(whereRows(t, ['nonsense'])).toMatchObject({ ok: false });
  });

  it('reads a file without a header', () => {
    const t = table('1.0,2\n3,4\n');
    expect(t.header).toEqual(['1', '2']);
    expect(t.rows).toHaveLength(2);
  });

  it('refuses ragged rows, unclosed quotes and empty files', () => {
    expect(parseCsv('a,b\n1,2\n3\n')).toEqual({ ok: false, error: 'line 3: 1 cells, but the header has 2' });
    expect(parseCsv('a\n"1\n')).toMatchObject({ ok: false, error: expect.stringContaining('never closed') });
    expect(parseCsv('\n\n')).toEqual({ ok: false, error: 'the file has no rows' });
  });
});
