/**
 * A mapping in the alerts or slos config whose keys must all be known. An unknown key is an
 * error that suggests the nearest known one ("did you mean"), so a typo never does nothing.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';

/** `raw` as a mapping (absent → {}); throws naming `where` for a non-mapping or an unknown key. */
export function strictSection(raw: unknown, where: string, known: readonly string[]): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(where, 'must be a mapping');
  for (const k of Object.keys(raw)) {
    if (known.includes(k)) continue;
    const near = nearest(k, known);
    throw new ConfigError(`${where}.${k}`, `unknown setting${near === null ? '' : ` (did you mean ${near}?)`}; known: ${known.join(', ')}`);
  }
  return raw as Record<string, unknown>;
}

/** The known word within edit distance 2 (or a third of its length) of `word`, else null. */
export function nearest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}
