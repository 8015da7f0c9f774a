/**
 * `sigmascope bench compare RUN_A RUN_B`: exit 1 when any comparison is a regression (so a CI job
 * fails on it), 0 otherwise, 2 for usage. JSON (DESIGN.md's compare output), a table, or markdown.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue } from '@sigmascope/protocol/config-fields';
import { parseFlags, stringFlag } from '../../args.ts';
import { loadRun } from '../output/run-files.ts';
import { compareMarkdown, compareTable } from './compare-format.ts';
import { DEFAULT_RUN_METRICS, RUN_METRICS } from '@sigmascope/protocol/stats/run-comparison';
import type { RunMetric } from '@sigmascope/protocol/stats/run-comparison';
import { compareRuns } from './compare-runs.ts';

const HELP = `Usage: sigmascope bench compare RUN_A RUN_B [--metric ${DEFAULT_RUN_METRICS.join(',')}] [--threshold 0.05] [--alpha 0.05] [--format json|table|markdown]

Compares run B against baseline A, target by target (successful requests): medians and p95 with
bootstrap intervals, Hodges–Lehmann shift with its interval, Mann–Whitney U and Welch's t (as
scipy.stats), Cliff's delta, Holm-adjusted p over all comparisons. A regression needs both a
relative change of the median beyond --threshold and an adjusted p below --alpha.
Metrics: ${RUN_METRICS.join(', ')}. RUN: a run folder, its run.json, or a run id.
Exit codes: 0 no regression, 1 a regression, 2 usage.`;

function fraction(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(raw.trim()) || !(n > 0 && n < 1)) throw new ConfigError(`--${name}`, `${JSON.stringify(raw)} is not a number between 0 and 1`);
  return n;
}

/** Runs `bench compare ARGV`; resolves to the exit code. */
export async function benchCompare(argv: string[], io: { out: (t: string) => void }): Promise<number> {
  const { values, positionals } = parseFlags('bench compare', argv, { metric: { type: 'string' }, threshold: { type: 'string' }, alpha: { type: 'string' }, format: { type: 'string' } }, true);
  if (values.help) return (io.out(`${HELP}\n`), 0);
  if (positionals.length !== 2) throw new ConfigError('bench compare', 'give two runs: RUN_A (baseline) and RUN_B');
  const metrics = (stringFlag(values, 'metric')?.split(',').map((m) => m.trim()).filter(Boolean) ?? [...DEFAULT_RUN_METRICS]).map((m) => enumValue(m, '--metric', RUN_METRICS) as RunMetric);
  const threshold = fraction(stringFlag(values, 'threshold'), 'threshold', 0.05);
  const alpha = fraction(stringFlag(values, 'alpha'), 'alpha', 0.05);
  const format = enumValue(stringFlag(values, 'format') ?? 'table', '--format', ['json', 'table', 'markdown'] as const);
  const result = compareRuns(loadRun(positionals[0] as string), loadRun(positionals[1] as string), metrics, { threshold, alpha });
  io.out(`${format === 'json' ? JSON.stringify(result, null, 2) : format === 'markdown' ? compareMarkdown(result) : compareTable(result)}\n`);
  return result.regressions > 0 ? 1 : 0;
}
