import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from './collector-config.ts';

const load = (file: Record<string, unknown> | undefined, env: Record<string, string> = {}, flags: Record<string, string> = {}) => loadCollectorConfig(file, 'collector.yaml', env, flags);

describe('collector tls settings', () => {
  it('is plain http by default, https with a certificate and key from file, environment or flags', () => {
    expect(load(undefined).tls).toBeNull();
    expect(load({ tls: { certFile: '/c.pem', keyFile: '/k.pem' } }).tls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem', clientCaFile: null, requireClientCert: false });
    expect(load(undefined, { SIGMASCOPE_TLS_CERT: '/e.pem', SIGMASCOPE_TLS_KEY: '/e.key' }, { tlsCert: '/f.pem' }).tls).toMatchObject({ certFile: '/f.pem', keyFile: '/e.key' });
    expect(load({ tls: { certFile: '/c.pem', keyFile: '/k.pem', clientCaFile: '/ca.pem' } }).tls?.requireClientCert).toBe(true);
    expect(load({ tls: { certFile: '/c.pem', keyFile: '/k.pem', clientCaFile: '/ca.pem', requireClientCert: false } }).tls?.requireClientCert).toBe(false);
  });

  it('names what is missing or unknown', () => {
    expect(() => load({ tls: { certFile: '/c.pem' } })).toThrow('tls.keyFile: a TLS certificate needs its key (--tls-key FILE)');
    expect(() => load(undefined, {}, { tlsKey: '/k.pem' })).toThrow('tls.certFile: a TLS key needs its certificate');
    expect(() => load({ tls: { clientCaFile: '/ca.pem' } })).toThrow('client certificates need TLS');
    expect(() => load({ tls: { certFile: '/c.pem', keyFile: '/k.pem', requireClientCert: true } })).toThrow('needs tls.clientCaFile');
    expect(() => load({ tls: { certfile: '/c.pem' } })).toThrow('collector.yaml: tls.certfile: unknown setting');
  });
});
