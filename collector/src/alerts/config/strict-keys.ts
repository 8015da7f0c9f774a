/**
 * A mapping in the alerts or slos config whose keys must all be known. An unknown key is an
 * error that suggests the nearest known one ("did you mean"), so a typo never does nothing.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { didYouMean } from '@sigmascope/protocol/suggest';

/** `raw` as a mapping (absent → {}); throws naming `where` for a non-mapping or an unknown key. */
export function strictSection(raw: unknown, where: string, known: readonly string[]): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(where, 'must be a mapping');
  for (const k of Object.keys(raw)) {
    if (known.includes(k)) continue;
    throw new ConfigError(`${where}.${k}`, `unknown setting${didYouMean(k, known)}; known: ${known.join(', ')}`);
  }
  return raw as Record<string, unknown>;
}
