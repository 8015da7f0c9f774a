/**
 * Label matchers from query parameters: `LABEL=VALUE` matches exactly, `LABEL~=PATTERN` matches a
 * simple pattern where `*` is any run of characters and `?` one character (nothing else is
 * special). `agent` matches the agent id the same two ways.
 */
import type { SeriesRef } from '../store/store.ts';

export interface LabelMatcher {
  readonly label: string;
  readonly pattern: boolean;
  readonly value: string;
}

/** Compiles matchers into one predicate over stored series. */
export function seriesMatcher(matchers: readonly LabelMatcher[]): (s: SeriesRef) => boolean {
  const tests = matchers.map((m) => {
    const re = m.pattern ? globToRegExp(m.value) : null;
    const read = (s: SeriesRef): string | undefined => (m.label === 'agent' ? s.agent : s.labels[m.label]);
    return re === null ? (s: SeriesRef) => read(s) === m.value : (s: SeriesRef) => {
      const v = read(s);
      return v !== undefined && re.test(v);
    };
  });
  return (s) => tests.every((t) => t(s));
}

/** `*` any run of characters, `?` one; nothing else is special. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) src += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  return new RegExp(`^${src}$`, 's');
}

/** The value of a group-by key for a series: `agent` or a label (missing labels group as ''). */
export function groupValue(s: SeriesRef, key: string): string {
  return key === 'agent' ? s.agent : (s.labels[key] ?? '');
}

/** A stable group key and its object form for the given `by` keys. */
export function groupOf(s: SeriesRef, by: readonly string[]): { key: string; group: Record<string, string> } {
  const group: Record<string, string> = {};
  for (const k of by) group[k] = groupValue(s, k);
  return { key: JSON.stringify(by.map((k) => group[k])), group };
}
