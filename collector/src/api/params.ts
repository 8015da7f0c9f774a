/**
 * Query parameters shared by every /api/v1 route: each throws a 400 that names the parameter
 * and the value it refused.
 */
import { LABEL_NAME_PATTERN } from '@sigmascope/protocol/series';
import { badParam } from './api-error.ts';

/** Milliseconds since the epoch, or `fallback` when absent. */
export function timeParam(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,16}$/.test(raw)) throw badParam(name, raw, 'milliseconds since the epoch');
  return Number(raw);
}

/** An integer in [min, max]. */
export function intParam(raw: string | undefined, name: string, min: number, max: number): number {
  if (raw === undefined || !/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw badParam(name, raw, `an integer in [${min}, ${max}]`);
  return Number(raw);
}

/** `from`/`to`: `to` defaults to now, `from` to `defaultSpanMs` before it; from ≤ to. */
export function timeWindow(q: { from?: string | undefined; to?: string | undefined }, defaultSpanMs: number, now: number = Date.now()): { from: number; to: number } {
  const to = timeParam(q.to, 'to', now);
  const from = timeParam(q.from, 'from', to - defaultSpanMs);
  if (from > to) throw badParam('from', q.from, `must not be after to (${to})`);
  return { from, to };
}

/** Every parameter not in `reserved` is a label to match exactly; its name must be a label name. */
export function exactLabels(q: Record<string, string>, reserved: ReadonlySet<string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (reserved.has(k)) continue;
    if (!LABEL_NAME_PATTERN.test(k)) throw badParam(k, v, 'not a label name');
    labels[k] = v;
  }
  return labels;
}
