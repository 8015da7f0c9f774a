/**
 * PromQL text from the query API's selectors: the metric's Prometheus name, its label matchers
 * translated (exact `=`, patterns with `*` and `?` as anchored RE2 `=~`), values quoted so that
 * no input can break out of its string. The reverse: an engine's series labels back to the
 * collector's (OpenTelemetry names, `agent` apart, `host` and `__name__` left out).
 */
import type { Labels } from '@sigmascope/protocol/series';
import { prometheusLabelName, prometheusMetricName } from '../../export/prometheus-names.ts';
import type { NameBook } from '../../export/prometheus-names.ts';
import type { LabelMatcher } from '../label-match.ts';

/** A PromQL string literal (double-quoted, backslash and quote and control characters escaped). */
export function promString(v: string): string {
  return JSON.stringify(v);
}

/** The Prometheus label a query label names: `agent` is ours, others are translated. */
export function promLabel(label: string): string {
  if (label === 'agent') return 'agent';
  const l = prometheusLabelName(label);
  return l === 'agent' || l === 'host' ? `exported_${l}` : l;
}

/** `name{matchers}` for a metric and the query's matchers. */
export function selector(name: string, matchers: readonly LabelMatcher[], extra: readonly string[] = []): string {
  const parts = [`__name__=${promString(prometheusMetricName(name))}`, ...extra];
  for (const m of matchers) parts.push(m.pattern ? `${promLabel(m.label)}=~${promString(globToRe2(m.value))}` : `${promLabel(m.label)}=${promString(m.value)}`);
  return `{${parts.join(',')}}`;
}

/** `*` any run, `?` one character, everything else literal (Prometheus anchors the regex). */
export function globToRe2(glob: string): string {
  let src = '';
  for (const ch of glob) src += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}*?]/g, '\\$&');
  return src;
}

/** A range duration in whole milliseconds (PromQL `[Nms]`). */
export function msRange(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

/** The agent and the labels of an engine's series, as the collector names them. */
export function fromPromLabels(metric: Record<string, string>, names: NameBook): { agent: string; labels: Labels } {
  const labels: Record<string, string> = {};
  let agent = '';
  for (const [k, v] of Object.entries(metric)) {
    if (k === '__name__' || k === 'host') continue;
    if (k === 'agent') agent = v;
    else if (k === 'exported_agent' || k === 'exported_host') labels[k.slice('exported_'.length)] = v;
    else labels[names.labelOf(k)] = v;
  }
  return { agent, labels };
}

/** `by (…)` of a grouping: agent stays `agent`, labels are translated. */
export function byClause(by: readonly string[]): string {
  return `by (${by.map(promLabel).join(', ')})`;
}
