import { describe, expect, it } from 'vitest';
import { joulesText, joulesTitle } from './energy-text.ts';

const e = { agent: 'a', provider: 'vllm', model: 'm', joulesPerToken: 0.8426, interval: [0.8401, 0.8451] as const, level: 0.95, tokensPerSecond: 1500, tokens: 900_000, joules: 758_340, watts: 1263.9, gpus: 2, coveredMs: 600_000, shared: false };

describe('energy text', () => {
  it('reads joules per token with its interval, a dash without one', () => {
    expect(joulesText({ joulesPerToken: 0.8426, energy: e })).toBe('0.843 ± 0.003 J');
    expect(joulesText({ joulesPerToken: 12.34, energy: { ...e, interval: null } })).toBe('12.3 J');
    expect(joulesText({ joulesPerToken: null, energy: null })).toBe('—');
    expect(joulesTitle(e)).toBe('2 GPUs at 1264 W, 1500.0 tokens/s over 10 min; 95 % interval');
  });
});
