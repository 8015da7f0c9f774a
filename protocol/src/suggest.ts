/**
 * "Did you mean …?" for a name the user typed that is not one we know: the config sections'
 * unknown keys and the command line's unknown flags both ask here, so a typo reads the same
 * wherever it is made. Pure.
 */
import { distance } from 'fastest-levenshtein';

/**
 * The known name closest to `typed`, or null when none is close enough to be a typo: an edit
 * distance of at most a third of the longer name (at least 2, at most 3), compared without
 * case, dashes or underscores (so `status_port` finds `statusPort` and `--statusport` finds
 * `--status-port`). Ties go to the first in `known`.
 */
export function closestName(typed: string, known: readonly string[]): string | null {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const t = norm(typed);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(t, norm(k));
    const limit = Math.min(3, Math.max(2, Math.floor(Math.max(t.length, k.length) / 3)));
    if (d <= limit && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` when a close name exists, else the empty string: appended to a message. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const best = closestName(typed, known);
  return best === null ? '' : ` (did you mean ${JSON.stringify(best)}?)`;
}
