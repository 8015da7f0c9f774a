/**
 * `sigmascope detect FILE.csv`: the anomaly detector of the agent and the collector
 * (protocol/src/anomaly), offline on one CSV column. Prints each anomaly's time and score as a
 * table or JSON; exit 2 for a malformed file or option, 0 otherwise (anomalies are findings).
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { anomalyOptions, DEFAULT_ANOMALY_OPTIONS } from '@sigmascope/protocol/anomaly/anomaly-options';
import type { AnomalyOptions } from '@sigmascope/protocol/anomaly/anomaly-options';
import { detectAnomalies } from '@sigmascope/protocol/anomaly/detect-series';
import { intFlag, parseFlags, stringFlag, type Parsed } from './args.ts';
import { numericColumn, pickColumn, readCsvTable } from './spc-csv.ts';
import type { CsvTable } from './spc-csv.ts';
import { parseTimestamp } from './timestamp-cell.ts';

const HELP = `Usage: sigmascope detect FILE.csv [options]

Finds anomalies in one column of a CSV file with the detector the agent and the collector run
(a rolling median/MAD baseline, an EWMA of its residuals, an hour-of-day profile once two days
of history exist). Prints each anomaly: the first point of each episode, its time and score.
  --column NAME            the values (default: the last all-numeric column)
  --timestamp-column NAME  the times: ISO 8601, "YYYY-MM-DD HH:MM:SS" (UTC), or epoch seconds
                           or milliseconds (default: a column named timestamp, time, ts or date;
                           without one, rows are points and there is no hour-of-day profile)
  --window N               points in the rolling baseline (default ${DEFAULT_ANOMALY_OPTIONS.window})
  --threshold T            anomalous from this score, in robust σ (default ${DEFAULT_ANOMALY_OPTIONS.threshold})
  --seasonality daily|weekly|none   (default ${DEFAULT_ANOMALY_OPTIONS.seasonality})
  --transform log          detect on ln(value) (latency)
  --format json|table      output (default: table)
Rows are taken in file order (a time earlier than the row before it is reported on stderr).
Data rows are numbered from 1 (the header is not a row).`;

const FLAGS = {
  column: { type: 'string' },
  'timestamp-column': { type: 'string' },
  window: { type: 'string' },
  threshold: { type: 'string' },
  seasonality: { type: 'string' },
  transform: { type: 'string' },
  format: { type: 'string' },
} as const;

const TIME_HEADERS = ['timestamp', 'time', 'ts', 'date'];

/** Runs `detect`; resolves to 0, or throws ConfigError (exit 2) for bad input. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('detect', argv, FLAGS, true);
  if (values.help) return (console.log(HELP), 0);
  const [file, ...extra] = positionals;
  if (file === undefined) throw new ConfigError('detect', `FILE.csv is required\n\n${HELP}`);
  if (extra.length > 0) throw new ConfigError('detect', `unexpected argument ${JSON.stringify(extra[0])}`);
  const format = stringFlag(values, 'format') ?? 'table';
  if (format !== 'json' && format !== 'table') throw new ConfigError('--format', `${JSON.stringify(format)} is not one of json, table`);

  const table = await readCsvTable(file);
  const timeIndex = timeColumn(table, stringFlag(values, 'timestamp-column'));
  const column = pickColumn(table, stringFlag(values, 'column'));
  if (!column.ok) throw new ConfigError('--column', column.error);
  if (column.index === timeIndex) throw new ConfigError('--column', `${JSON.stringify(table.header[column.index])} is the timestamp column; name the values with --column`);
  const data = numericColumn(table, column.index);
  if (!data.ok) throw new ConfigError(file, data.error);
  const ts = timeIndex === null ? data.values.map((_, i) => i) : times(table, timeIndex, file);
  const options = detectOptions(values, timeIndex === null);

  const result = detectAnomalies(ts, data.values, options);
  const rows = result.anomalies.map((a) => ({
    row: a.index + 1,
    line: table.lines[a.index] as number,
    ...(timeIndex === null ? {} : { time: new Date(a.ts).toISOString() }),
    value: a.value,
    baseline: round(a.baseline),
    score: round(a.score),
  }));
  const summary = { column: table.header[column.index] as string, timestampColumn: timeIndex === null ? null : (table.header[timeIndex] as string), points: data.values.length, judged: result.judged, options, anomalies: rows };
  console.log(format === 'json' ? JSON.stringify(summary) : tableText(summary));
  return 0;
}

function timeColumn(table: CsvTable, name: string | undefined): number | null {
  if (name !== undefined) {
    const i = table.header.indexOf(name);
    if (i < 0) throw new ConfigError('--timestamp-column', `no column ${JSON.stringify(name)} (columns: ${table.header.join(', ')})`);
    return i;
  }
  const i = table.header.findIndex((h) => TIME_HEADERS.includes(h.toLowerCase()));
  return i < 0 ? null : i;
}

/**
 * The times of the rows. A time earlier than the row before it (real exports have them: a clock
 * set back, an hour repeated) is kept, the rows staying in file order, and said on stderr once.
 */
function times(table: CsvTable, index: number, file: string): number[] {
  const out: number[] = [];
  let back: { line: number; cell: string } | null = null;
  let backwards = 0;
  for (const [i, row] of table.rows.entries()) {
    const cell = row[index] as string;
    const t = parseTimestamp(cell);
    if (t === null) throw new ConfigError(file, `line ${table.lines[i]}, column ${JSON.stringify(table.header[index])}: ${JSON.stringify(cell)} is not a time (ISO 8601, "YYYY-MM-DD HH:MM:SS" or epoch seconds/milliseconds)`);
    const prev = out[out.length - 1];
    if (prev !== undefined && t < prev) {
      backwards++;
      back ??= { line: table.lines[i] as number, cell };
    }
    out.push(t);
  }
  if (back !== null) console.error(`sigmascope detect: ${file}: line ${back.line}: ${JSON.stringify(back.cell)} is earlier than the row before it (${backwards} such row${backwards === 1 ? '' : 's'}); rows are taken in file order`);
  return out;
}

function detectOptions(values: Parsed['values'], untimed: boolean): AnomalyOptions {
  const raw: Record<string, unknown> = {};
  const window = intFlag(values, 'window', 5, 10_000);
  if (window !== undefined) raw.window = window;
  const threshold = stringFlag(values, 'threshold');
  if (threshold !== undefined) {
    const t = Number(threshold.trim());
    if (threshold.trim() === '' || !Number.isFinite(t)) throw new ConfigError('--threshold', `${JSON.stringify(threshold)} is not a number`);
    raw.threshold = t;
  }
  const seasonality = stringFlag(values, 'seasonality');
  if (seasonality !== undefined) raw.seasonality = seasonality;
  if (untimed) {
    if (seasonality !== undefined && seasonality !== 'none') throw new ConfigError('--seasonality', `${seasonality} needs times: name the column with --timestamp-column`);
    raw.seasonality = 'none';
  }
  const transform = stringFlag(values, 'transform');
  if (transform !== undefined) raw.transform = transform;
  const r = anomalyOptions(raw);
  if (!r.ok) throw new ConfigError(`--${r.where}`, r.error);
  return r.options;
}

const round = (x: number): number => Number(x.toPrecision(6));

function tableText(s: { column: string; timestampColumn: string | null; points: number; judged: number; options: AnomalyOptions; anomalies: readonly { row: number; time?: string; value: number; baseline: number; score: number }[] }): string {
  const o = s.options;
  const lines = [
    `column      ${s.column}${o.transform === 'log' ? ' (log)' : ''}${s.timestampColumn === null ? '' : `, times from ${s.timestampColumn}`}`,
    `points      ${s.points}, judged ${s.judged} (the first ${o.window} fill the baseline)`,
    `detector    window ${o.window}, threshold ${o.threshold} σ, seasonality ${o.seasonality}, λ ${o.lambda}`,
    `anomalies   ${s.anomalies.length === 0 ? 'none' : s.anomalies.length}`,
  ];
  if (s.anomalies.length > 0) {
    const when = s.timestampColumn === null ? [] : ['time'.padEnd(26)];
    lines.push(`  ${'row'.padEnd(8)}${when.join('')}${'value'.padEnd(14)}${'baseline'.padEnd(14)}score`);
    for (const a of s.anomalies) lines.push(`  ${String(a.row).padEnd(8)}${a.time === undefined ? '' : a.time.padEnd(26)}${String(round(a.value)).padEnd(14)}${String(a.baseline).padEnd(14)}${a.score}`);
  }
  return lines.join('\n');
}
