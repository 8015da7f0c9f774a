/**
 * The key of each suite target, found once before the run: `key: env:NAME` reads that
 * environment variable; `key: NAME` the key store entry (`sigmascope keys set NAME`); no `key`
 * takes the provider's usual variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or
 * GOOGLE_API_KEY), then the store entry named for the provider. A key is registered with the
 * log redactor the moment it is read, and never written anywhere.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { registerSecret } from '@sigmascope/protocol/log';
import { openKeyStore } from '@sigmascope/agent/keys/key-store';
import type { KeyStore } from '@sigmascope/agent/keys/key-store';
import { providerAdapter } from '@sigmascope/agent/probes/registry';
import type { ProviderName } from '@sigmascope/agent/probes/registry';
import type { SuiteTarget } from '../suite/suite.ts';

const USUAL_ENV: Partial<Record<ProviderName, readonly string[]>> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
};

export interface KeySources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The key store's folder (SIGMASCOPE_DATA or ./.sigmascope/agent). */
  readonly dataDir?: string;
}

/** Resolves every target's key; throws ConfigError naming the target when a needed key is missing. */
export function resolveTargetKeys(targets: readonly SuiteTarget[], src: KeySources): Map<string, string | null> {
  let store: KeyStore | null = null;
  const fromStore = (name: string): string | null => {
    store ??= openKeyStore(resolve(src.dataDir ?? src.env.SIGMASCOPE_DATA ?? join('.sigmascope', 'agent')), src.env.SIGMASCOPE_MASTER_KEY);
    return store.get(name);
  };
  const out = new Map<string, string | null>();
  for (const t of targets) {
    const adapter = providerAdapter(t.provider);
    let key: string | null = null;
    if (t.key?.startsWith('env:')) {
      const name = t.key.slice(4);
      key = src.env[name]?.trim() || null;
      if (key === null) throw new ConfigError(`target ${t.name}`, `key: the environment variable ${name} is not set`);
    } else if (t.key !== null) {
      key = fromStore(t.key);
      if (key === null) throw new ConfigError(`target ${t.name}`, `key: no key store entry ${JSON.stringify(t.key)} (sigmascope keys set ${t.key})`);
    } else if (adapter !== null && adapter.needsKey) {
      for (const name of USUAL_ENV[t.provider] ?? []) key ??= src.env[name]?.trim() || null;
      key ??= fromStore(t.provider);
      if (key === null) throw new ConfigError(`target ${t.name}`, `${t.provider} needs a key: set key: env:NAME or a key store name, ${(USUAL_ENV[t.provider] ?? []).join(' or ')}, or run sigmascope keys set ${t.provider}`);
    }
    if (key !== null) registerSecret(key);
    out.set(t.name, key);
  }
  return out;
}
