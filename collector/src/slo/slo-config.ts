/**
 * The collector's `slos:` list: specification limits per provider/model/metric, the only thing
 * process capability (Cp, Cpk, Pp, Ppk) is measured against (DESIGN.md "SPC"). Latency limits
 * are in the metric's unit (seconds). Example:
 *
 *   slos:
 *     - {provider: openai, model: gpt-4o-mini, metric: gen_ai.client.operation.time_to_first_chunk, usl: 1.5}
 */
import type { SloSpec } from '@sigmascope/protocol/capability-report';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue, stringValue } from '@sigmascope/protocol/config-fields';
import { METRIC_NAME_PATTERN } from '@sigmascope/protocol/series';
import { strictSection } from '../alerts/config/strict-keys.ts';

/** One SLO as configured (the protocol's SloSpec). */
export type SloConfig = SloSpec;

/** Parses `slos:` (absent: none). Throws a ConfigError naming the bad value. */
export function loadSloConfig(raw: unknown, where: string): readonly SloConfig[] {
  if (raw === undefined || raw === null) return Object.freeze([]);
  if (!Array.isArray(raw)) throw new ConfigError(where, 'must be a list of {provider, model, metric, lsl, usl}');
  return Object.freeze(raw.map((item, i) => {
    const at = `${where}[${i}]`;
    const s = strictSection(item, at, ['provider', 'model', 'metric', 'lsl', 'usl', 'target', 'transform']);
    const num = (k: string): number | null => {
      if (s[k] === undefined) return null;
      const n = s[k];
      if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConfigError(`${at}.${k}`, `${JSON.stringify(n)} is not a number`);
      return n;
    };
    const lsl = num('lsl');
    const usl = num('usl');
    if (lsl === null && usl === null) throw new ConfigError(at, 'give lsl, usl or both');
    if (lsl !== null && usl !== null && !(lsl < usl)) throw new ConfigError(`${at}.lsl`, `${lsl} must be below usl (${usl})`);
    const metric = stringValue(s.metric, `${at}.metric`, METRIC_NAME_PATTERN, 'a metric name such as gen_ai.client.operation.time_to_first_chunk');
    const transform = s.transform === undefined ? (/^(gen_ai\.client\.|sigmascope\.probe\.)/.test(metric) ? 'log' : 'none') : enumValue(s.transform, `${at}.transform`, ['none', 'log'] as const);
    if (transform === 'log') for (const [k, v] of [['lsl', lsl], ['usl', usl]] as const) if (v !== null && !(v > 0)) throw new ConfigError(`${at}.${k}`, `${v} must be > 0 with transform log`);
    return Object.freeze({
      provider: stringValue(s.provider, `${at}.provider`), model: s.model === undefined ? null : stringValue(s.model, `${at}.model`), metric, lsl, usl, target: num('target'), transform,
    });
  }));
}
