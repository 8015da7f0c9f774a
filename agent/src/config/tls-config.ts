/**
 * How the agent reaches its collector safely: the CA that vouches for the collector's
 * certificate (default: the CAs Node trusts), a client certificate and key for collectors that
 * require one (mTLS), and the rule that a token never travels in clear beyond this host: a
 * `ws://` URL to anything but loopback is refused unless `--insecure` says so (and the agent
 * then says so loudly, at start and at every connect).
 */
import { resolve } from 'node:path';
import { boolValue, stringValue } from '@sigmascope/protocol/config-fields';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { isLoopbackHost } from '@sigmascope/protocol/loopback';

export interface UplinkTlsSettings {
  /** PEM file of the CA(s) to trust for the collector; null: Node's trusted CAs (and NODE_EXTRA_CA_CERTS). */
  readonly caFile: string | null;
  /** Client certificate and key (PEM) presented to a collector that asks (mTLS); both or neither. */
  readonly certFile: string | null;
  readonly keyFile: string | null;
  /** A ws:// URL beyond loopback is allowed (the token travels in clear). */
  readonly insecure: boolean;
}

export interface UplinkTlsFlags {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly insecure?: boolean;
}

type Pick = <T>(flag: T | undefined, flagName: string, envName: string | null, fileValue: unknown, fileKey: string, check: (raw: unknown, where: string) => T, fallback: T) => T;

/** The TLS settings from the `collector` section, the environment and flags, checked against `url`. */
export function parseUplinkTls(collector: Record<string, unknown>, pick: Pick, flags: UplinkTlsFlags, url: string | null): UplinkTlsSettings {
  const path = (r: unknown, w: string): string => resolve(stringValue(r, w));
  const caFile = pick<string | null>(flags.caFile, '--ca-file', 'SIGMASCOPE_CA_FILE', collector.caFile, 'collector.caFile', path, null);
  const certFile = pick<string | null>(flags.certFile, '--cert-file', 'SIGMASCOPE_CERT_FILE', collector.certFile, 'collector.certFile', path, null);
  const keyFile = pick<string | null>(flags.keyFile, '--key-file', 'SIGMASCOPE_KEY_FILE', collector.keyFile, 'collector.keyFile', path, null);
  const insecure = pick(flags.insecure, '--insecure', 'SIGMASCOPE_INSECURE', collector.insecure, 'collector.insecure', boolValue, false);
  if ((certFile === null) !== (keyFile === null)) throw new ConfigError(certFile === null ? '--cert-file' : '--key-file', 'a client certificate needs its key and a key its certificate (--cert-file and --key-file)');
  if (url !== null) {
    const u = new URL(url);
    if (u.protocol === 'ws:' && !isLoopbackHost(u.hostname) && !insecure) {
      throw new ConfigError('--collector', `${url} would send the agent's token in clear to ${u.hostname}: use wss:// (a collector started with --tls-cert and --tls-key), or pass --insecure to accept that`);
    }
    if (u.protocol === 'ws:' && (caFile !== null || certFile !== null)) throw new ConfigError('--collector', `${url} is not TLS: --ca-file, --cert-file and --key-file need a wss:// URL`);
  }
  return Object.freeze({ caFile, certFile, keyFile, insecure });
}
