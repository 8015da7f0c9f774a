/**
 * One series of one agent named in a request, as the analytics' per-series routes take it
 * (`/api/v1/anomalies/series`, `/api/v1/forecast`), the way `/api/v1/spc` names it: `series=KEY`
 * (its canonical key, `name{label="v",…}`) or `name=` plus label parameters, and `agent=`. Answers
 * 400 naming a bad parameter, 404 when nothing matches, 400 when several series do.
 */
import { METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { parseSeriesKey } from './spc-route.ts';
import type { Store, SeriesResult } from '../store/store.ts';
import { apiError, badParam } from './api-error.ts';
import { exactLabels } from './params.ts';

/** The name and labels a request names (parameters in `reserved` are not labels). */
export function seriesTarget(q: Record<string, string>, reserved: ReadonlySet<string>): { name: string; labels: Record<string, string> } {
  if (q.series !== undefined) {
    const target = parseSeriesKey(q.series);
    if (target === null) throw badParam('series', q.series, 'a series key such as hw.gpu.temperature{hw.id="GPU-…"}');
    return target;
  }
  if (q.name === undefined || !METRIC_NAME_PATTERN.test(q.name)) throw badParam('name', q.name, 'a metric name (or give series=KEY)');
  return { name: q.name, labels: exactLabels(q, reserved) };
}

/** The one series matching `target` (and `agent` when given) with its points in [from, to]. */
export function oneSeries(store: Store, target: { name: string; labels: Record<string, string> }, agent: string | undefined, from: number, to: number, maxPoints: number, stepMs?: number): SeriesResult {
  const found = store.series({ name: target.name, labels: target.labels, ...(agent !== undefined ? { agent } : {}), from, to, maxPoints, maxSeries: 2, ...(stepMs !== undefined ? { stepMs } : {}) });
  if (found.length === 0) throw apiError(404, 'not_found', `no series ${target.name} with those labels${agent ? ` on agent ${agent}` : ''} between ${from} and ${to}`);
  if (found.length > 1) throw apiError(400, 'ambiguous', `several series match (e.g. agents ${found.map((s) => s.agent).join(', ')}); add agent= or more labels`);
  return found[0] as SeriesResult;
}
