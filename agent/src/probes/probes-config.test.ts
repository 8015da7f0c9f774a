import { describe, expect, it } from 'vitest';
import { parseProbesConfig, PROBE_DEFAULTS } from './probes-config.ts';
import { costUsd, priceOf } from './prices.ts';
import { nextDelayMs } from './probe-backoff.ts';
import { probePrompt } from './probe-prompt.ts';
import type { ProbeResult } from './probe.ts';

describe('probes config', () => {
  it('applies hygiene defaults and provider defaults', () => {
    const c = parseProbesConfig({ targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'ollama', model: 'llama3.2:1b' }] }, 'probes');
    expect(c.targets[0]).toMatchObject({ name: 'openai:gpt-4o-mini', url: 'https://api.openai.com/v1/chat/completions', keyName: 'openai', genAiProvider: 'openai', ...PROBE_DEFAULTS });
    expect(c.targets[1]).toMatchObject({ keyName: null, genAiProvider: 'ollama', url: 'http://127.0.0.1:11434/api/chat' });
    expect(PROBE_DEFAULTS.intervalMs).toBe(15_000);
    expect(parseProbesConfig(undefined, 'probes')).toMatchObject({ targets: [], inference: [] });
  });

  it('names the bad value', () => {
    expect(() => parseProbesConfig({ targets: [{ provider: 'openia', model: 'x' }] }, 'agent.yaml: probes')).toThrow('agent.yaml: probes.targets[0].provider: "openia" is not one of');
    expect(() => parseProbesConfig({ targets: [{ provider: 'openai-compatible', model: 'x' }] }, 'p')).toThrow('p.targets[0].url');
    expect(() => parseProbesConfig({ targets: [{ provider: 'openai', model: 'x', intervalMs: 10 }] }, 'p')).toThrow('p.targets[0].intervalMs: 10 is not an integer');
    expect(() => parseProbesConfig({ defaults: { maxTokens: 0 } }, 'p')).toThrow('p.defaults.maxTokens');
    expect(() => parseProbesConfig({ targets: [{ provider: 'demo', model: 'a' }, { provider: 'demo', model: 'a' }] }, 'p')).toThrow('used by another target');
    expect(() => parseProbesConfig({ prices: { models: { m: { input: -1, output: 1 } } } }, 'p')).toThrow('p.prices.models.m.input');
    expect(() => parseProbesConfig({ inference: [{ kind: 'triton', url: 'http://x' }] }, 'p')).toThrow('p.inference[0].kind');
  });

  it('overrides prices, dated, and finds a dated model id by its longest prefix', () => {
    const c = parseProbesConfig({ prices: { asOf: '2026-01-01', models: { 'gpt-4o': { input: 1, output: 2 } } } }, 'p');
    expect(c.prices.asOf).toBe('2026-01-01');
    expect(priceOf(c.prices, 'gpt-4o-2024-08-06')).toEqual({ input: 1, output: 2 });
    expect(priceOf(c.prices, 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(costUsd(c.prices, 'llama3.2:1b', 10, 10)).toBeNull();
  });
});

describe('probe hygiene', () => {
  const result = (errorType: ProbeResult['errorType'], retryAfterMs: number | null = null) => ({ errorType, retryAfterMs }) as ProbeResult;
  it('waits the interval after success, the retry-after after a 429, and backs off exponentially on 5xx/529', () => {
    expect(nextDelayMs(result(null), 0, 15_000)).toBe(15_000);
    expect(nextDelayMs(result('rate_limited', 60_000), 1, 15_000)).toBe(60_000);
    expect(nextDelayMs(result('rate_limited', 2_000), 1, 15_000)).toBe(15_000);
    expect(nextDelayMs(result('overloaded'), 1, 15_000, () => 1)).toBe(30_000);
    expect(nextDelayMs(result('http_5xx'), 3, 15_000, () => 1)).toBe(120_000);
    expect(nextDelayMs(result('http_5xx'), 30, 15_000, () => 1)).toBe(240_000);
    expect(nextDelayMs(result('timeout'), 5, 15_000)).toBe(15_000);
  });

  it('puts a fresh nonce in every prompt', () => {
    const prompts = new Set(Array.from({ length: 50 }, () => probePrompt()));
    expect(prompts.size).toBe(50);
    expect(probePrompt('hello {nonce}', 'abc')).toBe('hello abc');
    expect(probePrompt('hello', 'abc')).toBe('hello [abc]');
  });
});
