/**
 * `sigmascope probe`: probe one LLM endpoint now, N times, and print each run's timings as one
 * JSON line (or a table), then a p50/p95/max summary of TTFT and total time. The same probe code
 * as the agent's; nothing is shipped. This file is the config entry of the command: it reads the
 * key's environment variables, SIGMASCOPE_DATA, SIGMASCOPE_MASTER_KEY and SIGMASCOPE_LOG_LEVEL.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { enumValue, urlValue } from '@sigmascope/protocol/config-fields';
import { registerSecret } from '@sigmascope/protocol/log';
import type { Logger, LogLevel } from '@sigmascope/protocol/log';
import { openKeyStore } from '@sigmascope/agent/keys/key-store';
import { probePrompt, DEFAULT_PROMPT } from '@sigmascope/agent/probes/probe-prompt';
import { PROBE_DEFAULTS } from '@sigmascope/agent/probes/probes-config';
import type { ProbeTarget } from '@sigmascope/agent/probes/probes-config';
import { DEFAULT_PRICES } from '@sigmascope/agent/probes/prices';
import type { ProbeResult } from '@sigmascope/agent/probes/probe';
import { createProbe, PROVIDER_NAMES, providerAdapter } from '@sigmascope/agent/probes/registry';
import { warmUpTransport } from '@sigmascope/agent/probes/http-transport';
import type { ProviderName } from '@sigmascope/agent/probes/registry';
import { intFlag, parseFlags, stringFlag } from './args.ts';
import { processLogger } from './process-log.ts';
import { probeLine, probeSummary, probeTable } from '@sigmascope/agent/probes/probe-report';

/** Environment variables holding a key, per provider, after SIGMASCOPE_PROBE_KEY. */
const KEY_ENV: Record<ProviderName, readonly string[]> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  ollama: [],
  // Never another provider's key: it would be sent to whatever server --url names.
  'openai-compatible': [],
  demo: [],
};

const HELP = `Usage: sigmascope probe --provider NAME --model MODEL [--url URL] [--count 1] [--interval-ms 1000]
                        [--prompt TEXT] [--max-tokens ${PROBE_DEFAULTS.maxTokens}] [--format json|table]
                        [--timeout-ms ${PROBE_DEFAULTS.timeoutMs}] [--idle-timeout-ms ${PROBE_DEFAULTS.idleTimeoutMs}] [--max-bytes ${PROBE_DEFAULTS.maxBytes}] [--data DIR]

Probes an LLM endpoint now with a small streaming request and prints, per run, one JSON line:
  ok, error_type, status, dns_ms, connect_ms, tls_ms, ttfb_ms, ttft_ms, total_ms, chunks,
  chunk_gaps_ms, input_tokens, output_tokens, tokens_per_s, cost_usd
then {"summary": …} with p50/p95/max of ttft_ms and total_ms. Exit 0 when every run was ok.

NAME: ${PROVIDER_NAMES.join(', ')}. URL: the endpoint, a base URL as the SDKs take it
(http://host:8000/v1 gets /chat/completions) or a bare origin (the provider's standard path);
{model} in it is replaced; defaults to the provider's public API.
Every run sends a fresh nonce in its prompt (${JSON.stringify(DEFAULT_PROMPT)}).

The key, first found: SIGMASCOPE_PROBE_KEY; OPENAI_API_KEY (openai), ANTHROPIC_API_KEY (anthropic),
GEMINI_API_KEY or GOOGLE_API_KEY (gemini); else the key store entry named NAME
(\`sigmascope keys set NAME\`, in DIR = SIGMASCOPE_DATA or ./.sigmascope/agent; master key from
SIGMASCOPE_MASTER_KEY or DIR/master.key). ollama and openai-compatible need none.
Logs (JSON, stderr, keys redacted): SIGMASCOPE_LOG_LEVEL=debug|info|warn|error (default warn).`;

export interface ProbeIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly log: (level: LogLevel) => Logger;
}

export async function run(argv: string[]): Promise<number> {
  return probeCommand(argv, { env: process.env, out: (t) => process.stdout.write(t), log: (level) => processLogger(level, { command: 'probe' }) });
}

/** Runs `probe ARGV`; resolves to the exit code. Throws ConfigError (exit 2) naming a bad flag. */
export async function probeCommand(argv: string[], io: ProbeIo): Promise<number> {
  const { values } = parseFlags('probe', argv, {
    provider: { type: 'string' }, url: { type: 'string' }, model: { type: 'string' }, count: { type: 'string' }, 'interval-ms': { type: 'string' },
    prompt: { type: 'string' }, 'max-tokens': { type: 'string' }, format: { type: 'string' }, 'timeout-ms': { type: 'string' },
    'idle-timeout-ms': { type: 'string' }, 'max-bytes': { type: 'string' }, data: { type: 'string' },
  });
  if (values.help) return (io.out(`${HELP}\n`), 0);
  const provider = enumValue(stringFlag(values, 'provider'), '--provider', PROVIDER_NAMES) as ProviderName;
  const model = stringFlag(values, 'model');
  if (model === undefined || model.length === 0) throw new ConfigError('--model', 'is required');
  const adapter = providerAdapter(provider);
  const rawUrl = stringFlag(values, 'url');
  const url = rawUrl !== undefined ? urlValue(rawUrl, '--url', ['http:', 'https:']) : (adapter?.defaultUrl ?? null);
  if (adapter !== null && url === null) throw new ConfigError('--url', `provider ${provider} needs the server's URL`);
  const count = intFlag(values, 'count', 1, 100_000) ?? 1;
  const intervalMs = intFlag(values, 'interval-ms', 0, 86_400_000) ?? 1_000;
  const format = enumValue(stringFlag(values, 'format') ?? 'json', '--format', ['json', 'table'] as const);
  const level = enumValue(io.env.SIGMASCOPE_LOG_LEVEL ?? 'warn', 'SIGMASCOPE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const);
  const log = io.log(level);
  const target: ProbeTarget = {
    name: `${provider}:${model}`, provider, model, url, genAiProvider: adapter?.genAiProvider ?? 'demo', keyName: provider,
    intervalMs, maxTokens: intFlag(values, 'max-tokens', 1, 4_096) ?? PROBE_DEFAULTS.maxTokens,
    timeoutMs: intFlag(values, 'timeout-ms', 100, 600_000) ?? PROBE_DEFAULTS.timeoutMs,
    idleTimeoutMs: intFlag(values, 'idle-timeout-ms', 100, 600_000) ?? PROBE_DEFAULTS.idleTimeoutMs,
    maxBytes: intFlag(values, 'max-bytes', 1024, 1024 ** 3) ?? PROBE_DEFAULTS.maxBytes,
    dailyTokenBudget: PROBE_DEFAULTS.dailyTokenBudget,
  };
  const key = adapter === null ? null : findKey(provider, adapter.needsKey, stringFlag(values, 'data'), io.env);
  const probe = createProbe(target, { key: () => key, prices: DEFAULT_PRICES });
  const template = stringFlag(values, 'prompt');

  const results: ProbeResult[] = [];
  if (adapter !== null) await warmUpTransport();
  if (format === 'table') io.out(`${probeTable.header}\n`);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    log.debug('probe request', { provider, model, url: url?.split('?')[0], run: i + 1 });
    const r = await probe.run({ prompt: probePrompt(template), maxTokens: target.maxTokens });
    results.push(r);
    log.debug('probe result', { run: i + 1, status: r.status, errorType: r.errorType, httpStatus: r.httpStatus, message: r.message, timings: r.timings, chunks: r.chunks });
    if (r.status !== 'ok') log.warn('probe failed', { run: i + 1, errorType: r.errorType, httpStatus: r.httpStatus, message: r.message });
    io.out(`${format === 'table' ? probeTable.row(i + 1, r) : JSON.stringify(probeLine(r))}\n`);
    const wait = intervalMs - (performance.now() - started);
    if (i < count - 1 && wait > 0) await new Promise((r2) => setTimeout(r2, wait));
  }
  const summary = probeSummary(results);
  io.out(format === 'table' ? probeTable.summary(summary) : `${JSON.stringify({ summary })}\n`);
  return results.every((r) => r.status === 'ok') ? 0 : 1;
}

/** The key: SIGMASCOPE_PROBE_KEY, the provider's usual variable, else the key store. */
function findKey(provider: ProviderName, needed: boolean, dataFlag: string | undefined, env: ProbeIo['env']): string | null {
  for (const name of ['SIGMASCOPE_PROBE_KEY', ...KEY_ENV[provider]]) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') {
      registerSecret(v.trim());
      return v.trim();
    }
  }
  const dir = resolve(dataFlag ?? env.SIGMASCOPE_DATA ?? join('.sigmascope', 'agent'));
  const stored = openKeyStore(dir, env.SIGMASCOPE_MASTER_KEY).get(provider);
  if (stored === null && needed) {
    throw new ConfigError('--provider', `${provider} needs a key: set SIGMASCOPE_PROBE_KEY${KEY_ENV[provider].map((n) => ` or ${n}`).join('')}, or store one with \`sigmascope keys set ${provider}\``);
  }
  return stored;
}
