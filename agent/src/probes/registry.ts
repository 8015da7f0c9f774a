/**
 * The explicit map from provider name to implementation. Adding a provider = one file with its
 * adapter, one line here, and its fixtures in the shared contract test.
 */
import type { Agent } from 'node:http';
import { anthropicAdapter } from './anthropic.ts';
import { createDemoProbe } from './demo.ts';
import { geminiAdapter } from './gemini.ts';
import { createHttpProbe } from './http-probe.ts';
import { ollamaAdapter } from './ollama.ts';
import { openaiCompatibleAdapter } from './openai-compatible.ts';
import { openaiAdapter } from './openai.ts';
import type { PriceTable } from './prices.ts';
import type { Probe } from './probe.ts';
import type { ProbeTarget } from './probes-config.ts';
import type { ProviderAdapter } from './provider.ts';

/** HTTP providers by config name. */
export const HTTP_PROVIDERS = Object.freeze({
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  ollama: ollamaAdapter,
  'openai-compatible': openaiCompatibleAdapter,
} satisfies Record<string, ProviderAdapter>);

/** Every provider name a target may use; `demo` is the in-process emulated provider. */
export const PROVIDER_NAMES = [...Object.keys(HTTP_PROVIDERS), 'demo'] as readonly (keyof typeof HTTP_PROVIDERS | 'demo')[];
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The adapter of an HTTP provider; null for `demo`. */
export function providerAdapter(name: ProviderName): ProviderAdapter | null {
  return name === 'demo' ? null : HTTP_PROVIDERS[name];
}

export interface ProbeDeps {
  /** The key of a key store entry, or null; called at each run. */
  readonly key: (keyName: string) => string | null;
  readonly prices: PriceTable;
  /** Keep-alive pool an HTTP probe reuses connections from (benchmarks only). */
  readonly agent?: Agent;
  readonly now?: () => number;
  readonly wallClock?: () => number;
  /** Seed of the demo provider's random numbers (tests). */
  readonly demoSeed?: number;
}

/** Builds the probe of one validated target. No I/O. */
export function createProbe(t: ProbeTarget, deps: ProbeDeps): Probe {
  const adapter = providerAdapter(t.provider);
  if (adapter === null) return createDemoProbe({ model: t.model, prices: deps.prices, ...(deps.demoSeed !== undefined ? { seed: deps.demoSeed } : {}), ...(deps.wallClock ? { wallClock: deps.wallClock } : {}) });
  return createHttpProbe({
    adapter, url: t.url ?? (adapter.defaultUrl as string), model: t.model, genAiProvider: t.genAiProvider, prices: deps.prices,
    key: () => (t.keyName === null ? null : deps.key(t.keyName)),
    limits: { timeoutMs: t.timeoutMs, idleTimeoutMs: t.idleTimeoutMs, maxBytes: t.maxBytes },
    ...(deps.agent ? { agent: deps.agent } : {}), ...(deps.now ? { now: deps.now } : {}), ...(deps.wallClock ? { wallClock: deps.wallClock } : {}),
  });
}
