/**
 * `spc check --where`: keeps the rows of a CSV that match a condition on one column, so a file
 * with failed requests, a warm-up or another host in it can be charted without editing it.
 *
 *   COLUMN=TEXT   COLUMN!=TEXT     exact text (surrounding spaces ignored)
 *   COLUMN<N  COLUMN<=N  COLUMN>N  COLUMN>=N   numbers (a cell that is not one never matches)
 *
 * Several conditions must all hold. Pure: parses and filters; errors come back as values.
 */
import { cellNumber } from './spc-csv.ts';
import type { CsvTable } from './spc-csv.ts';

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
const CONDITION = /^([^=!<>]+?)\s*(!=|<=|>=|=|<|>)\s*(.*)$/;

/** Rows of `table` matching every condition, or an error naming the condition at fault. */
export function whereRows(table: CsvTable, conditions: readonly string[]): { ok: true; table: CsvTable } | { ok: false; error: string } {
  const tests: ((row: readonly string[]) => boolean)[] = [];
  for (const c of conditions) {
    const m = CONDITION.exec(c);
    if (!m) return { ok: false, error: `${JSON.stringify(c)} is not COLUMN=VALUE, COLUMN!=VALUE or COLUMN<N (also <=, >, >=)` };
    const [, name, op, raw] = m as unknown as [string, string, Op, string];
    const index = table.header.indexOf(name.trim());
    if (index < 0) return { ok: false, error: `${JSON.stringify(c)}: no column ${JSON.stringify(name.trim())} (columns: ${table.header.join(', ')})` };
    const want = raw.trim();
    if (op === '=' || op === '!=') {
      tests.push((row) => ((row[index] as string).trim() === want) === (op === '='));
      continue;
    }
    const bound = cellNumber(want);
    if (bound === undefined) return { ok: false, error: `${JSON.stringify(c)}: ${JSON.stringify(want)} is not a number` };
    tests.push((row) => {
      const v = cellNumber(row[index] as string);
      return v !== undefined && (op === '<' ? v < bound : op === '<=' ? v <= bound : op === '>' ? v > bound : v >= bound);
    });
  }
  const keep = table.rows.map((row) => tests.every((t) => t(row)));
  return { ok: true, table: { header: table.header, rows: table.rows.filter((_, i) => keep[i]), lines: table.lines.filter((_, i) => keep[i]) } };
}
