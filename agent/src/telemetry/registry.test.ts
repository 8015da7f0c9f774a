import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { silentLogger } from '@sigmascope/protocol/log';
import { createSources, SOURCE_NAMES } from './registry.ts';

describe('telemetry registry', () => {
  it('creates every built-in source by default, in a stable order, without starting anything', () => {
    const sources = createSources({ procRoot: '/proc' }, silentLogger);
    expect(sources.map((s) => s.name)).toEqual(['host', 'cpu', 'memory', 'network', 'disk', 'gpu', 'agent']);
    expect(sources.map((s) => s.name)).toEqual([...SOURCE_NAMES]);
    expect(sources.every((s) => s.status().state === 'starting')).toBe(true);
  });

  it('honours the enabled list and the GPU switch', () => {
    expect(createSources({ procRoot: '/proc', enabled: ['gpu', 'cpu'] }, silentLogger).map((s) => s.name)).toEqual(['cpu', 'gpu']);
    expect(createSources({ procRoot: '/proc', gpu: false }, silentLogger).map((s) => s.name)).not.toContain('gpu');
  });

  it('refuses an unknown source name, naming it', () => {
    expect(() => createSources({ procRoot: '/proc', enabled: ['cpu', 'gpus'] }, silentLogger)).toThrow(ConfigError);
    expect(() => createSources({ procRoot: '/proc', enabled: ['gpus'] }, silentLogger)).toThrow(/"gpus"/);
  });
});
