/**
 * CSV reading for `sigmascope spc check`: RFC 4180 quoting (quoted commas, doubled quotes,
 * newlines inside quotes), a UTF-8 BOM, CRLF or LF line ends, blank lines skipped. A header row is
 * expected; when every cell of the first row is a number the file has none and columns are named
 * 1, 2, …. Problems come back as values naming the line and the column. Shared by `spc check`
 * and `detect`.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@sigmascope/protocol/config-error';

export interface CsvTable {
  readonly header: readonly string[];
  /** Data rows, each as long as the header. */
  readonly rows: readonly (readonly string[])[];
  /** The file line each data row starts on (1-based), for messages. */
  readonly lines: readonly number[];
}

/** Reads and parses a CSV file; a file that cannot be read or parsed is a ConfigError (exit 2) naming it. */
export async function readCsvTable(file: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const csv = parseCsv(text);
  if (!csv.ok) throw new ConfigError(file, csv.error);
  return csv.table;
}

/** A parsed table, or the first problem found. */
export type CsvResult = { readonly ok: true; readonly table: CsvTable } | { readonly ok: false; readonly error: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or undefined (empty, text, NaN, Infinity and hex are not numbers). */
export function cellNumber(cell: string): number | undefined {
  const t = cell.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

/** Parses a whole CSV text. */
export function parseCsv(text: string): CsvResult {
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let sawQuote = false;
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !sawQuote)) records.push({ cells, line: recordLine });
    cells = [];
    cell = '';
    sawQuote = false;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (cell.trim() !== '') return { ok: false, error: `line ${line}: a quote inside an unquoted cell` };
      cell = '';
      quoted = true;
      sawQuote = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += ch;
  }
  if (quoted) return { ok: false, error: `line ${recordLine}: a quoted cell is never closed` };
  if (cell !== '' || cells.length > 0 || sawQuote) endRecord();
  if (records.length === 0) return { ok: false, error: 'the file has no rows' };

  const first = records[0] as { cells: string[]; line: number };
  const headerless = first.cells.every((c) => cellNumber(c) !== undefined);
  const header = headerless ? first.cells.map((_, i) => String(i + 1)) : first.cells.map((c) => c.trim());
  const data = headerless ? records : records.slice(1);
  for (const r of data) {
    if (r.cells.length !== header.length) return { ok: false, error: `line ${r.line}: ${r.cells.length} cells, but the header has ${header.length}` };
  }
  return { ok: true, table: { header, rows: data.map((r) => r.cells), lines: data.map((r) => r.line) } };
}

/** Index of the column called `name`, or of the last column whose every cell is a number. */
export function pickColumn(table: CsvTable, name: string | undefined): { ok: true; index: number } | { ok: false; error: string } {
  if (name !== undefined) {
    const index = table.header.indexOf(name);
    if (index < 0) return { ok: false, error: `no column ${JSON.stringify(name)} (columns: ${table.header.join(', ')})` };
    return { ok: true, index };
  }
  for (let c = table.header.length - 1; c >= 0; c--) {
    if (table.rows.length > 0 && table.rows.every((r) => cellNumber(r[c] as string) !== undefined)) return { ok: true, index: c };
  }
  return { ok: false, error: 'no column holds only numbers; name one with --column' };
}

/** The numbers of one column, or an error naming the first cell that is not a number. */
export function numericColumn(table: CsvTable, index: number): { ok: true; values: number[] } | { ok: false; error: string } {
  const values: number[] = [];
  for (const [i, row] of table.rows.entries()) {
    const raw = row[index] as string;
    const v = cellNumber(raw);
    if (v === undefined) return { ok: false, error: `line ${table.lines[i]}, column ${index + 1} (${JSON.stringify(table.header[index])}): ${JSON.stringify(raw)} is not a number` };
    values.push(v);
  }
  return { ok: true, values };
}
