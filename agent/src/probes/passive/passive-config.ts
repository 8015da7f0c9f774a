/**
 * `probes.passive`, the opt-in pass-through (passive-proxy.ts):
 *
 *   probes:
 *     passive: { listen: "127.0.0.1:7302", upstream: "http://127.0.0.1:8000", genAiProvider: vllm }
 *
 * Off unless set. `listen` is loopback by default (applications on this host point their
 * OpenAI base URL at it); another address must be written out. `upstream` is the real
 * OpenAI-compatible server, to which every request goes unchanged.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { section, stringValue, urlValue } from '@sigmascope/protocol/config-fields';

export interface PassiveConfig {
  readonly host: string;
  readonly port: number;
  readonly upstream: string;
  readonly genAiProvider: string;
}

export const PASSIVE_DEFAULT_LISTEN = '127.0.0.1:7302';

/** Validates `probes.passive`; null when absent. */
export function parsePassiveConfig(raw: unknown, where: string): PassiveConfig | null {
  if (raw === undefined || raw === null) return null;
  const s = section(raw, where, ['listen', 'upstream', 'genAiProvider']);
  const listen = s.listen === undefined ? PASSIVE_DEFAULT_LISTEN : stringValue(s.listen, `${where}.listen`);
  const m = /^(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65_535)) throw new ConfigError(`${where}.listen`, `${JSON.stringify(listen)} is not HOST:PORT (e.g. ${PASSIVE_DEFAULT_LISTEN})`);
  if (s.upstream === undefined) throw new ConfigError(`${where}.upstream`, 'is required: the OpenAI-compatible server requests are passed to');
  const upstream = urlValue(s.upstream, `${where}.upstream`, ['http:', 'https:']);
  return Object.freeze({
    host: (m[1] as string).replace(/^\[|\]$/g, ''),
    port,
    upstream: upstream.replace(/\/+$/, ''),
    genAiProvider: s.genAiProvider === undefined ? 'openai_compatible' : stringValue(s.genAiProvider, `${where}.genAiProvider`, /^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a gen_ai.provider.name value'),
  });
}
