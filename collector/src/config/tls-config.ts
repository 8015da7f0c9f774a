/**
 * The collector's `tls:` settings: certificate and key files for https and wss on its port, and
 * optionally the CA whose client certificates agents must present (mTLS). Only paths are checked
 * here; the files are read and validated at start (collector/src/tls/server-tls.ts).
 */
import { resolve } from 'node:path';
import { boolValue, section, stringValue } from '@sigmascope/protocol/config-fields';
import { ConfigError } from '@sigmascope/protocol/config-error';

export interface ServerTlsSettings {
  readonly certFile: string;
  readonly keyFile: string;
  /** Agents' client certificates are checked against this CA; null: none asked for. */
  readonly clientCaFile: string | null;
  /** With a client CA: ingest refuses an agent without a valid client certificate (default true). */
  readonly requireClientCert: boolean;
}

export interface TlsFlags {
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsClientCa?: string;
}

type Pick = <T>(flag: T | undefined, flagName: string, envName: string | null, fileValue: unknown, fileKey: string, check: (raw: unknown, where: string) => T, fallback: T) => T;

/** TLS settings from the `tls` section, the environment and flags; null for plain http. */
export function parseServerTls(raw: unknown, where: string, pick: Pick, flags: TlsFlags): ServerTlsSettings | null {
  const t = section(raw, where, ['certFile', 'keyFile', 'clientCaFile', 'requireClientCert']);
  const path = (r: unknown, w: string): string => resolve(stringValue(r, w));
  const certFile = pick<string | null>(flags.tlsCert, '--tls-cert', 'SIGMASCOPE_TLS_CERT', t.certFile, 'tls.certFile', path, null);
  const keyFile = pick<string | null>(flags.tlsKey, '--tls-key', 'SIGMASCOPE_TLS_KEY', t.keyFile, 'tls.keyFile', path, null);
  const clientCaFile = pick<string | null>(flags.tlsClientCa, '--tls-client-ca', 'SIGMASCOPE_TLS_CLIENT_CA', t.clientCaFile, 'tls.clientCaFile', path, null);
  const requireClientCert = pick(undefined, '', null, t.requireClientCert, 'tls.requireClientCert', boolValue, clientCaFile !== null);
  if (certFile === null && keyFile === null) {
    if (clientCaFile !== null) throw new ConfigError('tls.clientCaFile', 'client certificates need TLS: set tls.certFile and tls.keyFile (--tls-cert, --tls-key) too');
    return null;
  }
  if (certFile === null) throw new ConfigError('tls.certFile', 'a TLS key needs its certificate (--tls-cert FILE)');
  if (keyFile === null) throw new ConfigError('tls.keyFile', 'a TLS certificate needs its key (--tls-key FILE)');
  if (requireClientCert && clientCaFile === null) throw new ConfigError('tls.requireClientCert', 'needs tls.clientCaFile (--tls-client-ca FILE): the CA that signs the agents\' certificates');
  return Object.freeze({ certFile, keyFile, clientCaFile, requireClientCert });
}
