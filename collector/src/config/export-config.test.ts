import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from './collector-config.ts';

const load = (file: Record<string, unknown>, env: Record<string, string> = {}) => loadCollectorConfig(file, 'collector.yaml', env, {});

describe('scale-out configuration', () => {
  it('defaults to the local backend and no endpoints, and reads endpoints with their defaults', () => {
    expect(load({}).scaleOut).toEqual({ remoteWrite: [], otlp: [], query: { backend: 'local', url: null, headers: {}, timeoutMs: 10_000 } });
    const c = load({ remoteWrite: [{ url: 'http://tsdb:8428/api/v1/write', headers: { Authorization: 'Bearer s3cret' } }], otlp: [{ url: 'https://otel:4318/v1/metrics', maxSamplesPerSend: 100 }], query: { backend: 'prometheus', url: 'http://tsdb:8428/' } }).scaleOut;
    expect(c.remoteWrite).toEqual([{ url: 'http://tsdb:8428/api/v1/write', headers: { Authorization: 'Bearer s3cret' }, maxSamplesPerSend: 10_000, timeoutMs: 30_000 }]);
    expect(c.otlp[0]).toMatchObject({ maxSamplesPerSend: 100, timeoutMs: 30_000 });
    expect(c.query).toMatchObject({ backend: 'prometheus', url: 'http://tsdb:8428' });
    expect(Object.isFrozen(c.remoteWrite[0])).toBe(true);
  });

  it('takes the backend from the environment over the file', () => {
    expect(load({}, { SIGMASCOPE_QUERY_BACKEND: 'prometheus', SIGMASCOPE_QUERY_URL: 'http://vm:8428' }).scaleOut.query).toMatchObject({ backend: 'prometheus', url: 'http://vm:8428' });
  });

  it('refuses bad values naming the key, and never shows a header value', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ remoteWrite: { url: 'http://x' } }, /collector\.yaml: remoteWrite: must be a list/],
      [{ remoteWrite: [{ url: 'ftp://x/write' }] }, /remoteWrite\[0\]\.url: "ftp:\/\/x\/write" must start with http:\/\/ or https:\/\//],
      [{ remoteWrite: [{ url: 'http://x', batch: 5 }] }, /remoteWrite\[0\]\.batch: unknown setting/],
      [{ remoteWrite: [{ url: 'http://x', maxSamplesPerSend: 0 }] }, /remoteWrite\[0\]\.maxSamplesPerSend: 0 is not an integer/],
      [{ remoteWrite: [{ url: 'http://x' }, { url: 'http://x' }] }, /remoteWrite: "http:\/\/x" is listed twice/],
      [{ remoteWrite: [{ url: 'http://x', headers: { 'Content-Encoding': 'gzip' } }] }, /headers\.Content-Encoding: is set by the protocol/],
      [{ otlp: [{ url: 'http://x', headers: { 'bad header': 'v' } }] }, /otlp\[0\]\.headers\.bad header: is not a valid HTTP header name/],
      [{ query: { backend: 'thanos' } }, /query\.backend: "thanos" is not one of local, prometheus/],
      [{ query: { backend: 'prometheus' } }, /query\.url: is required with query\.backend: prometheus/],
      [{ query: { backend: 'prometheus', url: 'vm:8428' } }, /query\.url: "vm:8428" must start with http/],
    ];
    for (const [file, message] of bad) expect(() => load(file)).toThrow(message);
    try {
      load({ remoteWrite: [{ url: 'http://x', headers: { Authorization: 'Bearer s3cret\r\nX: y' } }] });
      throw new Error('accepted');
    } catch (err) {
      expect(String(err)).toMatch(/headers\.Authorization: must be a one-line string/);
      expect(String(err)).not.toContain('s3cret');
    }
  });
});
