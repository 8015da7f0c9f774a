/**
 * CSV export (RFC 4180): a header of column names, then one line per row; fields with a comma,
 * quote or line break are quoted. Text fields starting with = + - @ are prefixed with ' so a
 * spreadsheet does not run them as formulas; numbers are written as they are.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [columns.map(field).join(',')];
  for (const r of rows) lines.push(r.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
