/**
 * Series identity: a metric name plus labels. A sample is one value of one series at one time.
 * Pure data; shared by the agent, the collector, the web and the CLI.
 */

/** Label names to values. Keys are kept sorted wherever a series is built, so equal series compare equal. */
export type Labels = Readonly<Record<string, string>>;

/** One series. `key` is the canonical text form, `name{k="v",…}` with sorted keys: stable across processes. */
export interface Series {
  readonly name: string;
  readonly labels: Labels;
  readonly key: string;
}

/** One point of one series: `ts` in ms since the epoch (producer's clock), `value` finite. */
export interface Sample {
  readonly series: Series;
  readonly ts: number;
  readonly value: number;
}

/** Metric names: OpenTelemetry style, lower-case dotted words. */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
/** Label names: the same shape as metric names. */
export const LABEL_NAME_PATTERN = METRIC_NAME_PATTERN;
export const MAX_NAME_LENGTH = 128;
export const MAX_LABEL_VALUE_LENGTH = 256;
export const MAX_LABELS_PER_SERIES = 16;

/** Builds a series with sorted labels and its canonical key. Never validates: callers own their names. */
export function series(name: string, labels: Record<string, string> = {}): Series {
  const keys = Object.keys(labels).sort();
  const sorted: Record<string, string> = {};
  for (const k of keys) sorted[k] = labels[k] as string;
  return Object.freeze({ name, labels: Object.freeze(sorted), key: seriesKey(name, sorted) });
}

/** Canonical text of a series: `name` alone, or `name{a="1",b="2"}` with keys in sorted order. */
export function seriesKey(name: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}
