import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { loadAgentConfig } from './agent-config.ts';

const TOKEN = 'sgs_a_0123456789abcdefghijklmnop';

describe('agent configuration', () => {
  it('has working defaults: sampling at 2 Hz, status page on loopback, a 256 MiB buffer', () => {
    const c = loadAgentConfig(undefined, 'config', {}, {});
    expect(c.sampler.intervalMs).toBe(500);
    expect(c.status).toEqual({ enabled: true, listen: '127.0.0.1', port: 7301, tokenFile: null });
    expect(c.buffer.capBytes).toBe(256 * 1024 * 1024);
    expect(c.collector).toEqual({ url: null, token: null, tokens: [], tokenFile: null, tls: { caFile: null, certFile: null, keyFile: null, insecure: false } });
    expect(Object.isFrozen(c.sampler)).toBe(true);
  });

  it('layers file < environment < flags', () => {
    const file = { status: { port: 8000 }, collector: { url: 'wss://file:7300/ingest', token: TOKEN }, buffer: { capBytes: '32MiB' } };
    const env = { SIGMASCOPE_STATUS_PORT: '8001', SIGMASCOPE_COLLECTOR: 'wss://env:7300/ingest' };
    const c = loadAgentConfig(file, 'agent.yaml', env, { statusPort: 8002 });
    expect(c.status.port).toBe(8002);
    expect(c.collector.url).toBe('wss://env:7300/ingest');
    expect(c.buffer.capBytes).toBe(32 * 1024 * 1024);
  });

  it('never sends the token in clear beyond loopback unless told to', () => {
    const at = (url: string, flags: Record<string, unknown> = {}, collector: Record<string, unknown> = {}) => loadAgentConfig({ collector: { url, token: TOKEN, ...collector } }, 'agent.yaml', {}, flags);
    expect(() => at('ws://10.0.0.5:7300/ingest')).toThrow("--collector: ws://10.0.0.5:7300/ingest would send the agent's token in clear to 10.0.0.5: use wss://");
    expect(() => at('ws://collector.example:7300/ingest')).toThrow('in clear to collector.example');
    expect(at('ws://10.0.0.5:7300/ingest', { insecure: true }).collector.tls.insecure).toBe(true);
    expect(at('ws://10.0.0.5:7300/ingest', {}, { insecure: true }).collector.tls.insecure).toBe(true);
    for (const local of ['ws://127.0.0.1:7300/ingest', 'ws://localhost:7300/ingest', 'ws://[::1]:7300/ingest']) expect(at(local).collector.url).toBe(local);
    expect(at('wss://collector.example:7300/ingest', { caFile: 'ca.pem' }).collector.tls.caFile).toMatch(/\/ca\.pem$/);
    expect(() => at('ws://127.0.0.1:7300/ingest', { caFile: 'ca.pem' })).toThrow('is not TLS: --ca-file');
    expect(() => at('wss://c:7300/ingest', { certFile: 'agent.pem' })).toThrow('--key-file: a client certificate needs its key');
  });

  it.each([
    [{ sampler: { intervalMs: 'fast' } }, {}, 'agent.yaml: sampler.intervalMs: "fast" is not an integer'],
    [{ sampler: { intervalMs: 500, deadlineMs: 600 } }, {}, 'sampler.deadlineMs: 600 must be below'],
    [{ buffer: { capBytes: '12 parsecs' } }, {}, 'buffer.capBytes: "12 parsecs" is not a size'],
    [{ sampelr: {} }, {}, 'agent.yaml.sampelr: unknown setting (did you mean "sampler"?)'],
    [{ status: { prot: 7301 } }, {}, 'agent.yaml: status.prot: unknown setting (did you mean "port"?)'],
    [{ spc: { series: [{ metric: 'hw.gpu.temperature', subgroop: 5 }] } }, {}, 'subgroop: unknown setting (did you mean "subgroup"?)'],
    [{ collector: { url: 'http://x:7300/ingest', token: TOKEN } }, {}, 'must start with ws:// or wss://'],
    [{ collector: { url: 'ws://x:7300/ingest' } }, {}, 'a collector URL needs a token'],
    [{}, { SIGMASCOPE_STATUS_PORT: '99999' }, 'SIGMASCOPE_STATUS_PORT: "99999" is not an integer in [0, 65535]'],
    [{ log: { level: 'loud' } }, {}, 'log.level: "loud" is not one of debug, info, warn, error'],
  ])('refuses %j %j naming the value', (file, env, message) => {
    expect(() => loadAgentConfig(file, 'agent.yaml', env, {})).toThrow(ConfigError);
    expect(() => loadAgentConfig(file, 'agent.yaml', env, {})).toThrow(message);
  });
});
