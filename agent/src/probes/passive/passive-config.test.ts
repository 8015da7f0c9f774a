import { describe, expect, it } from 'vitest';
import { parseProbesConfig } from '../probes-config.ts';

describe('probes.passive', () => {
  it('is off unless set, and listens on loopback by default', () => {
    expect(parseProbesConfig({}, 'probes').passive).toBeNull();
    expect(parseProbesConfig({ passive: { upstream: 'http://127.0.0.1:8000/' } }, 'probes').passive).toEqual({ host: '127.0.0.1', port: 7302, upstream: 'http://127.0.0.1:8000', genAiProvider: 'openai_compatible' });
    expect(parseProbesConfig({ passive: { listen: '[::1]:9000', upstream: 'https://llm.internal/v1', genAiProvider: 'vllm' } }, 'probes').passive).toMatchObject({ host: '::1', port: 9000, genAiProvider: 'vllm' });
  });

  it('names the bad value', () => {
    expect(() => parseProbesConfig({ passive: {} }, 'agent.yaml: probes')).toThrow('agent.yaml: probes.passive.upstream: is required');
    expect(() => parseProbesConfig({ passive: { upstream: 'ftp://x' } }, 'p')).toThrow('p.passive.upstream: "ftp://x" must start with http:// or https://');
    expect(() => parseProbesConfig({ passive: { upstream: 'http://x', listen: '7302' } }, 'p')).toThrow('p.passive.listen: "7302" is not HOST:PORT');
    expect(() => parseProbesConfig({ passive: { upstream: 'http://x', store: true } }, 'p')).toThrow('p.passive.store: unknown setting');
  });
});
