/** Two loaded runs compared with protocol/stats' run comparison (the same as the collector's and the dashboard's). */
import { compareRunSides } from '@sigmascope/protocol/stats/run-comparison';
import type { CompareResult, RunMetric } from '@sigmascope/protocol/stats/run-comparison';
import type { LoadedRun } from '../output/run-files.ts';

/** Compares run A (baseline) with run B. */
export function compareRuns(a: LoadedRun, b: LoadedRun, metrics: readonly RunMetric[], o: { threshold: number; alpha: number }): CompareResult {
  const side = (r: LoadedRun) => ({ id: r.run.id, targets: Object.keys(r.run.summary), requests: r.requests });
  return compareRunSides(side(a), side(b), metrics, o);
}
