/**
 * `sigmascope bench report RUN [RUN_B] --format html|pdf|csv|json [--out FILE]`: writes the
 * report (by default beside the first run, `report.<format>`) and prints its path.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue } from '@sigmascope/protocol/config-fields';
import { parseFlags, stringFlag } from '../../args.ts';
import { loadRun } from '../output/run-files.ts';
import { reportCsv } from './report-csv.ts';
import { reportData } from './report-data.ts';
import { reportHtml } from './report-html.ts';
import { reportPdf } from './report-pdf.ts';

const HELP = `Usage: sigmascope bench report RUN [RUN_B] [--format html|pdf|csv|json] [--out FILE]

A report of one run, or of B against A: provenance, summaries, the comparison, and charts (the
end-to-end latency CDF per target, the TTFT histogram, throughput against rate for sweeps).
html (default) is one self-contained page; pdf needs no browser. Written to FILE, or to
report.<format> in the first run's folder; the path is printed.`;

/** Runs `bench report ARGV`; resolves to the exit code. */
export async function benchReport(argv: string[], io: { out: (t: string) => void }): Promise<number> {
  const { values, positionals } = parseFlags('bench report', argv, { format: { type: 'string' }, out: { type: 'string' } }, true);
  if (values.help) return (io.out(`${HELP}\n`), 0);
  if (positionals.length < 1 || positionals.length > 2) throw new ConfigError('bench report', 'give one run, or two to compare');
  const format = enumValue(stringFlag(values, 'format') ?? 'html', '--format', ['html', 'pdf', 'csv', 'json'] as const);
  const runs = positionals.map((p) => loadRun(p));
  const data = reportData(runs);
  const bytes = format === 'pdf' ? await reportPdf(data) : format === 'html' ? reportHtml(data) : format === 'csv' ? reportCsv(data) : `${JSON.stringify(data, null, 2)}\n`;
  const out = resolve(stringFlag(values, 'out') ?? join(runs[0]!.dir, `report.${format}`));
  writeFileSync(out, bytes);
  io.out(`${out}\n`);
  return 0;
}
