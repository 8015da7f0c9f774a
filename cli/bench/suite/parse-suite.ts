/**
 * Reads and validates a suite file (YAML or JSON). Every bad value fails with its place and the
 * value (a ConfigError, exit 2), before any request is sent; unknown keys are errors. A dataset
 * file is resolved against the suite file's folder.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { intValue, section, stringValue, urlValue } from '@sigmascope/protocol/config-fields';
import { parseConfigText } from '@sigmascope/protocol/config-text';
import { PROVIDER_NAMES, providerAdapter } from '@sigmascope/agent/probes/registry';
import type { ProviderName } from '@sigmascope/agent/probes/registry';
import { inlineDataset, loadDatasetFile } from '../dataset/load-dataset.ts';
import { PROFILE_TYPES } from './suite.ts';
import type { LoadProfile, ProfileType, ResolvedSuite, Slo, SuiteTarget } from './suite.ts';

/** A suite and the bytes it was read from (their hash is the suite's `sha256`). */
export interface SuiteFile {
  readonly suite: ResolvedSuite;
  readonly sha256: string;
}

const NAME = /^[\w.:/@+-]{1,128}$/;
/** Provider key shapes (OpenAI, Anthropic, Google, Groq, xAI) and anything as long as a key. */
const LOOKS_LIKE_A_KEY = /^(sk-|sk_|AIza|gsk_|xai-)|^[^:]{32,}$/;

function positive(raw: unknown, where: string, max: number): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0 || raw > max) throw new ConfigError(where, `${JSON.stringify(raw)} is not a number in (0, ${max}]`);
  return raw;
}

function targets(raw: unknown, where: string): SuiteTarget[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError(where, 'must be a non-empty list of targets');
  const names = new Set<string>();
  return raw.map((t, i) => {
    const w = `${where}[${i}]`;
    const s = section(t, w, ['name', 'provider', 'url', 'model', 'key']);
    const provider = stringValue(s.provider, `${w}.provider`);
    if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) throw new ConfigError(`${w}.provider`, `${JSON.stringify(provider)} is not one of ${PROVIDER_NAMES.join(', ')}`);
    const adapter = providerAdapter(provider as ProviderName);
    const model = stringValue(s.model, `${w}.model`, NAME, 'a model name (letters, digits and . : / @ + - _)');
    const url = s.url !== undefined ? urlValue(s.url, `${w}.url`, ['http:', 'https:']) : (adapter?.defaultUrl ?? null);
    if (adapter !== null && url === null) throw new ConfigError(`${w}.url`, `provider ${provider} needs the server's URL`);
    const name = s.name !== undefined ? stringValue(s.name, `${w}.name`, NAME, 'a short name') : `${provider}:${model}`;
    if (names.has(name)) throw new ConfigError(`${w}.name`, `${JSON.stringify(name)} is used by another target; give one a name`);
    names.add(name);
    // A pasted key would be hashed into run.json and echoed by errors: refuse it without repeating it.
    if (typeof s.key === 'string' && LOOKS_LIKE_A_KEY.test(s.key)) throw new ConfigError(`${w}.key`, 'looks like an API key itself; name an environment variable (env:NAME) or a key store entry instead');
    const key = s.key === undefined ? null : stringValue(s.key, `${w}.key`, /^(env:[A-Za-z_][A-Za-z0-9_]{0,127}|[a-z0-9][a-z0-9_.-]{0,63})$/, 'env:VARIABLE or a key store name (the key itself never goes in a suite)');
    return Object.freeze({ name, provider: provider as ProviderName, url, model, key });
  });
}

function profile(raw: unknown, where: string): LoadProfile {
  const s = section(raw, where, ['type', 'concurrency', 'rate', 'rates', 'requests', 'duration', 'warmup']);
  if (s.type === undefined) throw new ConfigError(`${where}.type`, `is required (one of ${PROFILE_TYPES.join(', ')})`);
  const type = stringValue(s.type, `${where}.type`) as ProfileType;
  if (!PROFILE_TYPES.includes(type)) throw new ConfigError(`${where}.type`, `${JSON.stringify(s.type)} is not one of ${PROFILE_TYPES.join(', ')}`);
  const only = (key: string, types: readonly ProfileType[]): void => {
    if (s[key] !== undefined && !types.includes(type)) throw new ConfigError(`${where}.${key}`, `does not apply to a ${type} profile`);
    if (s[key] === undefined && types.includes(type)) throw new ConfigError(`${where}.${key}`, `is required by a ${type} profile`);
  };
  only('concurrency', ['concurrent']);
  only('rate', ['constant', 'poisson']);
  only('rates', ['sweep']);
  let rates: number[] | null = null;
  if (s.rates !== undefined) {
    if (!Array.isArray(s.rates) || s.rates.length === 0 || s.rates.length > 64) throw new ConfigError(`${where}.rates`, 'must be a list of 1 to 64 rates (requests per second)');
    rates = s.rates.map((r, i) => positive(r, `${where}.rates[${i}]`, 10_000));
  }
  const requests = s.requests === undefined ? null : intValue(s.requests, `${where}.requests`, 1, 10_000_000);
  const duration = s.duration === undefined ? null : positive(s.duration, `${where}.duration`, 7 * 86_400);
  if (requests === null && duration === null) throw new ConfigError(where, 'needs requests, duration or both (a limit per target)');
  return Object.freeze({
    type,
    concurrency: s.concurrency === undefined ? null : intValue(s.concurrency, `${where}.concurrency`, 1, 10_000),
    rate: s.rate === undefined ? null : positive(s.rate, `${where}.rate`, 10_000),
    rates: rates === null ? null : Object.freeze(rates),
    requests, duration,
    warmup: s.warmup === undefined ? 0 : intValue(s.warmup, `${where}.warmup`, 0, 100_000),
  });
}

function slo(raw: unknown, where: string): Slo {
  const s = section(raw, where, ['ttft_ms', 'tpot_ms', 'e2e_ms']);
  const v = (k: 'ttft_ms' | 'tpot_ms' | 'e2e_ms'): number | null => (s[k] === undefined ? null : positive(s[k], `${where}.${k}`, 86_400_000));
  return Object.freeze({ ttft_ms: v('ttft_ms'), tpot_ms: v('tpot_ms'), e2e_ms: v('e2e_ms') });
}

/** Validates a parsed suite document; `baseDir` resolves a dataset path. */
export function resolveSuite(raw: Record<string, unknown>, where: string, baseDir: string): ResolvedSuite {
  const top = section(raw, where, ['name', 'seed', 'targets', 'dataset', 'profile', 'maxTokens', 'slo']);
  const d = section(top.dataset, `${where}.dataset`, ['path', 'inline']);
  if ((d.path === undefined) === (d.inline === undefined)) throw new ConfigError(`${where}.dataset`, 'needs exactly one of path (a JSONL file) or inline (a list of {id, prompt, expect?})');
  const dataset = d.path !== undefined ? loadDatasetFile(resolve(baseDir, stringValue(d.path, `${where}.dataset.path`)), `${where}.dataset.path`) : inlineDataset(d.inline, `${where}.dataset.inline`);
  return Object.freeze({
    name: stringValue(top.name, `${where}.name`, NAME, 'a short name'),
    seed: top.seed === undefined ? 1 : intValue(top.seed, `${where}.seed`, 0, 2 ** 32 - 1),
    targets: Object.freeze(targets(top.targets, `${where}.targets`)),
    dataset,
    profile: profile(top.profile, `${where}.profile`),
    maxTokens: top.maxTokens === undefined ? 256 : intValue(top.maxTokens, `${where}.maxTokens`, 1, 131_072),
    slo: slo(top.slo, `${where}.slo`),
  });
}

/** Reads the suite file at `path`; throws ConfigError naming the file or value. */
export function readSuiteFile(path: string): SuiteFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ConfigError(path, `cannot read the suite file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const raw = parseConfigText(bytes.toString('utf8'), path);
  return { suite: resolveSuite(raw, path, dirname(resolve(path))), sha256: createHash('sha256').update(bytes).digest('hex') };
}
