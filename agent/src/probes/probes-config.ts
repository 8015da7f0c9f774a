/**
 * The `probes` section of the agent config, validated once and frozen:
 *
 *   probes:
 *     defaults: { intervalMs: 15000, maxTokens: 16, timeoutMs: 30000, idleTimeoutMs: 15000,
 *                 maxBytes: 4MiB, dailyTokenBudget: 300000 }
 *     targets:
 *       - { provider: openai, model: gpt-4o-mini }            # key from `keys set openai`
 *       - { provider: openai-compatible, url: http://127.0.0.1:8000/v1/chat/completions,
 *           model: meta-llama/Llama-3.1-8B-Instruct, genAiProvider: vllm }
 *     prices: { asOf: 2025-09-01, models: { my-model: { input: 0.2, output: 0.8 } } }
 *     inference: [ { kind: vllm, url: http://127.0.0.1:8000/metrics } ]
 *     passive: { listen: 127.0.0.1:7302, upstream: http://127.0.0.1:8000 }   # opt-in pass-through
 *
 * Hygiene defaults (small max_tokens, 15 s interval, a daily token budget, caps) apply to every
 * target unless overridden; every bad value fails with its place and value in the message.
 */
import { ConfigError } from '@sigmascope/protocol/config-error';
import { bytesValue, intValue, section, stringValue, urlValue } from '@sigmascope/protocol/config-fields';
import { parseInferenceConfig } from '../inference/inference-config.ts';
import type { InferenceTarget } from '../inference/inference-config.ts';
import { parsePassiveConfig } from './passive/passive-config.ts';
import type { PassiveConfig } from './passive/passive-config.ts';
import { DEFAULT_PRICES, mergePrices } from './prices.ts';
import type { ModelPrice, PriceTable } from './prices.ts';
import { PROVIDER_NAMES, providerAdapter } from './registry.ts';
import type { ProviderName } from './registry.ts';

/** One validated probe target. */
export interface ProbeTarget {
  /** Unique within the agent: `provider:model` unless named. Shown on the status page. */
  readonly name: string;
  readonly provider: ProviderName;
  readonly model: string;
  readonly url: string | null;
  readonly genAiProvider: string;
  /** The key store entry to use; null when the endpoint takes no key. */
  readonly keyName: string | null;
  readonly intervalMs: number;
  readonly maxTokens: number;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxBytes: number;
  readonly dailyTokenBudget: number;
}

export interface ProbesConfig {
  readonly targets: readonly ProbeTarget[];
  readonly prices: PriceTable;
  readonly inference: readonly InferenceTarget[];
  /** The opt-in pass-through (passive/passive-config.ts); null when off. */
  readonly passive: PassiveConfig | null;
}

/** Hygiene defaults: one small request every 15 s, well under a cent a day on small models. */
export const PROBE_DEFAULTS = Object.freeze({
  intervalMs: 15_000,
  maxTokens: 16,
  timeoutMs: 30_000,
  idleTimeoutMs: 15_000,
  maxBytes: 4 * 1024 * 1024,
  dailyTokenBudget: 300_000,
});

const TUNABLES = ['intervalMs', 'maxTokens', 'timeoutMs', 'idleTimeoutMs', 'maxBytes', 'dailyTokenBudget'] as const;
type Tunables = { -readonly [K in (typeof TUNABLES)[number]]: number };

function tunables(raw: Record<string, unknown>, where: string, base: Tunables): Tunables {
  const at = (k: string): string => `${where}.${k}`;
  const out = { ...base };
  if (raw.intervalMs !== undefined) out.intervalMs = intValue(raw.intervalMs, at('intervalMs'), 1_000, 86_400_000);
  if (raw.maxTokens !== undefined) out.maxTokens = intValue(raw.maxTokens, at('maxTokens'), 1, 4_096);
  if (raw.timeoutMs !== undefined) out.timeoutMs = intValue(raw.timeoutMs, at('timeoutMs'), 100, 600_000);
  if (raw.idleTimeoutMs !== undefined) out.idleTimeoutMs = intValue(raw.idleTimeoutMs, at('idleTimeoutMs'), 100, 600_000);
  if (raw.maxBytes !== undefined) out.maxBytes = bytesValue(raw.maxBytes, at('maxBytes'), 1024, 1024 ** 3);
  if (raw.dailyTokenBudget !== undefined) out.dailyTokenBudget = intValue(raw.dailyTokenBudget, at('dailyTokenBudget'), 0, 1e12);
  return out;
}

function price(raw: unknown, where: string): ModelPrice {
  const p = section(raw, where, ['input', 'output']);
  const num = (v: unknown, w: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(w, `${JSON.stringify(v)} is not a price in USD per million tokens (a number ≥ 0)`);
    return v;
  };
  return { input: num(p.input, `${where}.input`), output: num(p.output, `${where}.output`) };
}

/** Validates the raw `probes` section. Throws ConfigError naming the first bad value. */
export function parseProbesConfig(raw: unknown, where: string): ProbesConfig {
  const top = section(raw, where, ['defaults', 'targets', 'prices', 'inference', 'passive']);
  const defaults = tunables(section(top.defaults, `${where}.defaults`, TUNABLES), `${where}.defaults`, { ...PROBE_DEFAULTS });
  if (top.targets !== undefined && !Array.isArray(top.targets)) throw new ConfigError(`${where}.targets`, 'must be a list of targets');
  const targets: ProbeTarget[] = [];
  const names = new Set<string>();
  for (const [i, t] of ((top.targets as unknown[] | undefined) ?? []).entries()) {
    const w = `${where}.targets[${i}]`;
    const s = section(t, w, ['name', 'provider', 'model', 'url', 'genAiProvider', 'key', ...TUNABLES]);
    const provider = stringValue(s.provider, `${w}.provider`);
    if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) throw new ConfigError(`${w}.provider`, `${JSON.stringify(provider)} is not one of ${PROVIDER_NAMES.join(', ')}`);
    const name = provider as ProviderName;
    const adapter = providerAdapter(name);
    const model = stringValue(s.model, `${w}.model`, /^[\w.:/@+-]{1,128}$/, 'a model name (letters, digits and . : / @ + - _)');
    const url = s.url !== undefined ? urlValue(s.url, `${w}.url`, ['http:', 'https:']) : (adapter?.defaultUrl ?? null);
    if (adapter !== null && url === null) throw new ConfigError(`${w}.url`, `provider ${provider} needs the server's URL`);
    const id = s.name !== undefined ? stringValue(s.name, `${w}.name`, /^[\w.:/@+-]{1,128}$/, 'a short name') : `${provider}:${model}`;
    if (names.has(id)) throw new ConfigError(`${w}.name`, `${JSON.stringify(id)} is used by another target; give one a name`);
    names.add(id);
    const keyName = s.key !== undefined ? stringValue(s.key, `${w}.key`, /^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a key store name') : adapter?.needsKey ? provider : null;
    targets.push(Object.freeze({
      name: id, provider: name, model, url, keyName,
      genAiProvider: s.genAiProvider !== undefined ? stringValue(s.genAiProvider, `${w}.genAiProvider`, /^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a gen_ai.provider.name value') : (adapter?.genAiProvider ?? 'demo'),
      ...tunables(s, w, defaults),
    }));
  }
  let prices = DEFAULT_PRICES;
  if (top.prices !== undefined) {
    const p = section(top.prices, `${where}.prices`, ['asOf', 'models']);
    const asOf = p.asOf === undefined ? undefined : stringValue(p.asOf instanceof Date ? p.asOf.toISOString().slice(0, 10) : p.asOf, `${where}.prices.asOf`, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
    const models: Record<string, ModelPrice> = {};
    for (const [m, v] of Object.entries(section(p.models, `${where}.prices.models`, Object.keys((p.models as object | undefined) ?? {})))) models[m] = price(v, `${where}.prices.models.${m}`);
    prices = mergePrices(DEFAULT_PRICES, { ...(asOf !== undefined ? { asOf } : {}), models });
  }
  return Object.freeze({ targets: Object.freeze(targets), prices, inference: parseInferenceConfig(top.inference, `${where}.inference`), passive: parsePassiveConfig(top.passive, `${where}.passive`) });
}
