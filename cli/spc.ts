/**
 * `sigmascope spc check FILE.csv`: offline SPC of one CSV column with the same engine the agent
 * and the collector use. Prints JSON (`--format json`) or a table; exit 2 for a malformed file
 * or an impossible option, 0 otherwise (violations are findings, not failures).
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { spcChart, TRANSFORMS, type SpcChart, type SpcChartOptions, type Transform } from '@sigmascope/protocol/spc/chart';
import { CHART_TYPES, type ChartType } from '@sigmascope/protocol/spc/estimate';
import { parseRuleList, RULE_DESCRIPTIONS } from '@sigmascope/protocol/spc/rules';
import { intFlag, parseFlags, stringFlag, type Parsed } from './args.ts';
import { numericColumn, parseCsv, pickColumn } from './spc-csv.ts';

const HELP = `Usage: sigmascope spc check FILE.csv [options]

Charts one column of a CSV file (qcc's conventions) and lists rule violations.
  --column NAME            the column to chart (default: the last all-numeric column)
  --subgroup N             X̄ chart of consecutive subgroups of N rows (2..25)
  --subgroup-column NAME   X̄ chart of subgroups labelled by this column
  --chart xbar-r|xbar-s    subgroup chart (default xbar-r; individuals without subgroups)
  --phase1 N               limits from the first N plotted points; rules over all (default: all)
  --center C --sigma S     given centre and process σ instead of estimates (chart units)
  --rules nelson|we|LIST   e.g. nelson1,nelson2,we4 (default: nelson)
  --lsl L --usl U          spec limits: adds Cp, Cpk, Pp, Ppk, Cpm   [--target T]
  --transform log          chart ln(value) (right-skewed data such as latency)
  --format json|table      output (default: table)
Plotted points are numbered from 1 (a subgroup counts as one point).`;

const FLAGS = {
  column: { type: 'string' },
  subgroup: { type: 'string' },
  'subgroup-column': { type: 'string' },
  chart: { type: 'string' },
  phase1: { type: 'string' },
  center: { type: 'string' },
  sigma: { type: 'string' },
  rules: { type: 'string' },
  lsl: { type: 'string' },
  usl: { type: 'string' },
  target: { type: 'string' },
  transform: { type: 'string' },
  format: { type: 'string' },
} as const;

/** Where spcChart's `where` points, as the user wrote it. */
const FLAG_OF: Record<string, string> = {
  values: 'FILE',
  chart: '--chart',
  phase1: '--phase1',
  center: '--center',
  sigma: '--sigma',
  lsl: '--lsl',
  usl: '--usl',
  target: '--target',
};

/** Runs `spc check`; resolves to 0, or throws ConfigError (exit 2) for bad input. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('spc', argv, FLAGS, true);
  if (values.help) return (console.log(HELP), 0);
  const [verb, file, ...extra] = positionals;
  if (verb !== 'check') throw new ConfigError('spc', verb === undefined ? `a subcommand is required\n\n${HELP}` : `unknown subcommand ${JSON.stringify(verb)}\n\n${HELP}`);
  if (file === undefined) throw new ConfigError('spc check', 'FILE.csv is required');
  if (extra.length > 0) throw new ConfigError('spc check', `unexpected argument ${JSON.stringify(extra[0])}`);

  const format = oneOf(values, 'format', ['json', 'table'] as const) ?? 'table';
  const options = chartOptions(values);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const csv = parseCsv(text);
  if (!csv.ok) throw new ConfigError(file, csv.error);
  const column = pickColumn(csv.table, stringFlag(values, 'column'));
  if (!column.ok) throw new ConfigError('--column', column.error);
  const data = numericColumn(csv.table, column.index);
  if (!data.ok) throw new ConfigError(file, data.error);
  const groupColumn = stringFlag(values, 'subgroup-column');
  if (groupColumn !== undefined) {
    const g = pickColumn(csv.table, groupColumn);
    if (!g.ok) throw new ConfigError('--subgroup-column', g.error);
    options.groups = csv.table.rows.map((r) => (r[g.index] as string).trim());
  }
  if (options.transform === 'log') {
    const bad = data.values.findIndex((v) => !(v > 0));
    if (bad >= 0) throw new ConfigError(file, `line ${csv.table.lines[bad]}: ${data.values[bad]} cannot take --transform log (values must be > 0)`);
  }

  const result = spcChart(data.values, options);
  if (!result.ok) {
    const flag = result.where === 'subgroup' ? (groupColumn !== undefined ? '--subgroup-column' : '--subgroup') : (FLAG_OF[result.where] ?? result.where);
    throw new ConfigError(flag, result.error);
  }
  const columnName = csv.table.header[column.index] as string;
  console.log(format === 'json' ? JSON.stringify(summary(result.chart)) : table(result.chart, columnName));
  return 0;
}

type MutableOptions = { -readonly [K in keyof SpcChartOptions]: SpcChartOptions[K] };

function chartOptions(values: Parsed['values']): MutableOptions {
  const options: MutableOptions = {};
  const subgroup = intFlag(values, 'subgroup', 2, 25);
  if (subgroup !== undefined) options.subgroup = subgroup;
  if (subgroup !== undefined && values['subgroup-column'] !== undefined) throw new ConfigError('--subgroup', 'give --subgroup or --subgroup-column, not both');
  const chart = oneOf(values, 'chart', CHART_TYPES);
  if (chart !== undefined) options.chart = chart as ChartType;
  if (chart !== undefined && chart !== 'individuals' && subgroup === undefined && values['subgroup-column'] === undefined) {
    throw new ConfigError('--chart', `${chart} needs --subgroup N or --subgroup-column NAME`);
  }
  const phase1 = intFlag(values, 'phase1', 1, Number.MAX_SAFE_INTEGER);
  if (phase1 !== undefined) options.phase1 = phase1;
  const center = numberFlag(values, 'center');
  if (center !== undefined) options.center = center;
  const sigma = numberFlag(values, 'sigma');
  if (sigma !== undefined) {
    if (sigma < 0) throw new ConfigError('--sigma', `${sigma} is negative`);
    options.sigma = sigma;
  }
  const rules = stringFlag(values, 'rules');
  if (rules !== undefined) {
    const parsed = parseRuleList(rules);
    if (!parsed.ok) throw new ConfigError('--rules', parsed.error);
    options.rules = parsed.rules;
  }
  const lsl = numberFlag(values, 'lsl');
  const usl = numberFlag(values, 'usl');
  const target = numberFlag(values, 'target');
  if (lsl !== undefined || usl !== undefined) {
    if (lsl !== undefined && usl !== undefined && !(lsl < usl)) throw new ConfigError('--lsl', `${lsl} must be below --usl ${usl}`);
    options.spec = { ...(lsl === undefined ? {} : { lsl }), ...(usl === undefined ? {} : { usl }), ...(target === undefined ? {} : { target }) };
  } else if (target !== undefined) throw new ConfigError('--target', 'needs --lsl or --usl');
  const transform = oneOf(values, 'transform', TRANSFORMS);
  if (transform !== undefined) options.transform = transform as Transform;
  return options;
}

function numberFlag(values: Parsed['values'], name: string): number | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`--${name}`, `${JSON.stringify(raw)} is not a number`);
  return n;
}

function oneOf<T extends string>(values: Parsed['values'], name: string, allowed: readonly T[]): T | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`--${name}`, `${JSON.stringify(raw)} is not one of ${allowed.join(', ')}`);
  return raw as T;
}

/** The documented JSON shape: 1-based point indices, capability only with spec limits. */
function summary(c: SpcChart) {
  return {
    chart: c.chart,
    center: c.center,
    sigma: c.sigma,
    lcl: c.lcl,
    ucl: c.ucl,
    n: c.n,
    violations: c.violations.map((v) => ({ rule: v.rule, index: v.index + 1 })),
    ...(c.capability === undefined ? {} : { capability: { cp: c.capability.cp, cpk: c.capability.cpk, pp: c.capability.pp, ppk: c.capability.ppk, cpm: c.capability.cpm } }),
  };
}

function fmt(x: number | null): string {
  return x === null ? '—' : String(Number(x.toPrecision(7)));
}

function table(c: SpcChart, column: string): string {
  const kind = c.chart === 'individuals' ? 'individuals' : `${c.chart} (subgroups of ${c.size})`;
  const lines = [
    `column      ${column}${c.transform === 'log' ? ' (log)' : ''}`,
    `chart       ${kind}, ${c.n} points, limits from the first ${c.phase1}`,
    `centre      ${fmt(c.center)}`,
    `sigma       ${fmt(c.sigma)} (process)`,
    `limits      ${fmt(c.lcl)} .. ${fmt(c.ucl)}`,
    `rules       ${c.rules.join(',')}`,
    `violations  ${c.violations.length === 0 ? 'none' : c.violations.length}`,
  ];
  if (c.violations.length > 0) {
    lines.push(`  ${'point'.padEnd(7)}${'rule'.padEnd(9)}${'value'.padEnd(14)}meaning`);
    for (const v of c.violations) lines.push(`  ${String(v.index + 1).padEnd(7)}${v.rule.padEnd(9)}${fmt(v.value).padEnd(14)}${RULE_DESCRIPTIONS[v.rule]}`);
  }
  const cap = c.capability;
  if (cap !== undefined) lines.push(`capability  Cp ${fmt(cap.cp)}  Cpk ${fmt(cap.cpk)}  Pp ${fmt(cap.pp)}  Ppk ${fmt(cap.ppk)}  Cpm ${fmt(cap.cpm)}`);
  return lines.join('\n');
}
