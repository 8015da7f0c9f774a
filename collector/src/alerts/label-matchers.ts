/**
 * Matching an alert's or a condition's labels against `label: value` matchers, the way rules,
 * silences and the API filter them: every matcher must hold; `*` and `?` are wildcards (the
 * query API's patterns); a matcher on a label the thing lacks fails, except `value` `*`.
 */
import { globToRegExp } from '../query/label-match.ts';

/** A predicate over label sets for `matchers` (compiled once). */
export function labelsMatcher(matchers: Readonly<Record<string, string>>): (labels: Readonly<Record<string, string>>) => boolean {
  const tests = Object.entries(matchers).map(([label, value]) => {
    if (!/[*?]/.test(value)) return (l: Readonly<Record<string, string>>) => l[label] === value;
    const re = globToRegExp(value);
    return (l: Readonly<Record<string, string>>) => re.test(l[label] ?? '');
  });
  return (labels) => tests.every((t) => t(labels));
}

/** A canonical text key of a label set (sorted), for grouping and condition keys. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
}
