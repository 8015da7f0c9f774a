/**
 * The daily capability report job: once a UTC day is over, writes its report to
 * DATA/reports/capability-YYYY-MM-DD.{json,csv,html}. Checks every hour (and at start), writes
 * each day once; a day already written is left alone, so a restart never rewrites one. Does
 * nothing without SLOs.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@sigmascope/protocol/log';
import type { TimeSeriesReader } from '../store/store.ts';
import { capabilityReport, utcDay } from './capability-report.ts';
import { reportCsv, reportHtml } from './report-formats.ts';
import type { SloConfig } from './slo-config.ts';

const CHECK_MS = 3_600_000;

/** Writes yesterday's report unless it exists; returns the JSON file written, or null. */
export function writeDailyReport(dir: string, reader: TimeSeriesReader, hostOf: (agent: string) => string, slos: readonly SloConfig[], now: number): string | null {
  if (slos.length === 0) return null;
  const day = utcDay(now - 86_400_000);
  const base = join(dir, `capability-${day}`);
  if (existsSync(`${base}.json`)) return null;
  mkdirSync(dir, { recursive: true });
  const report = capabilityReport(reader, hostOf, slos, day, now);
  // The JSON goes last: its presence means the day is done.
  for (const [ext, text] of [['csv', reportCsv(report)], ['html', reportHtml(report)], ['json', `${JSON.stringify(report, null, 2)}\n`]] as const) {
    writeFileSync(`${base}.${ext}.tmp`, text);
    renameSync(`${base}.${ext}.tmp`, `${base}.${ext}`);
  }
  return `${base}.json`;
}

/** Runs writeDailyReport at start and every hour; returns the stop function. */
export function startDailyReportJob(dir: string, reader: TimeSeriesReader, hostOf: (agent: string) => string, slos: readonly SloConfig[], log: Logger, clock: () => number = Date.now): () => void {
  if (slos.length === 0) return () => {};
  const run = (): void => {
    try {
      const file = writeDailyReport(dir, reader, hostOf, slos, clock());
      if (file !== null) log.info('capability report written', { file });
    } catch (err) {
      log.error('capability report failed', { err });
    }
  };
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, CHECK_MS);
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
