import { describe, expect, it } from 'vitest';
import { providerLines, sortLines } from './provider-rows.ts';

const row = (provider: string, ttft: number | null, errors = 0, probes = 10) => ({
  agent: 'a1', provider, model: 'm', probes, errors,
  ttft: { p50: ttft, p95: ttft, p99: ttft }, duration: { p50: 1, p95: 2, p99: 3 }, tokensPerSecond: 50, costUsd: null,
});

describe('provider rows', () => {
  it('adds host names and error rates', () => {
    const [l] = providerLines([row('openai', 0.3, 2, 8)], new Map([['a1', 'gpu-01']]));
    expect(l).toMatchObject({ host: 'gpu-01', errorRate: 0.25 });
    expect(providerLines([row('x', 1, 0, 0)], new Map())[0]).toMatchObject({ host: 'a1', errorRate: null });
  });

  it('adds energy per token where the host serves the model, and a line for a served model nobody probes', () => {
    const energy = (agent: string, provider: string, model: string, j: number) => ({ agent, provider, model, joulesPerToken: j, interval: [j - 0.01, j + 0.01] as const, level: 0.95, tokensPerSecond: 1500, tokens: 900_000, joules: 758_340, watts: 1263.9, gpus: 2, coveredMs: 60_000, shared: false });
    const lines = providerLines([row('vllm', 0.2)], new Map([['a1', 'gpu-01']]), [energy('a1', 'vllm', 'm', 0.84), energy('a1', 'vllm', 'other', 1.2)]);
    expect(lines.map((l) => [l.provider, l.model, l.probes, l.joulesPerToken, l.tokensPerSecond])).toEqual([['vllm', 'm', 10, 0.84, 50], ['vllm', 'other', 0, 1.2, 1500]]);
    expect(sortLines(lines, 'joulesPerToken', 'desc').map((l) => l.model)).toEqual(['other', 'm']);
    expect(providerLines([row('openai', 0.3)], new Map())[0]?.joulesPerToken).toBeNull();
  });

  it('sorts by a column with missing values last either way', () => {
    const lines = providerLines([row('b', 0.5), row('a', null), row('c', 0.2)], new Map());
    expect(sortLines(lines, 'ttftP50', 'asc').map((l) => l.provider)).toEqual(['c', 'b', 'a']);
    expect(sortLines(lines, 'ttftP50', 'desc').map((l) => l.provider)).toEqual(['b', 'c', 'a']);
    expect(sortLines(lines, 'provider', 'asc').map((l) => l.provider)).toEqual(['a', 'b', 'c']);
  });
});
