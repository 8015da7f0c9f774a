/**
 * The uplink's TLS material, read from the configured files once at start (a missing or loose
 * file stops the start with a message naming it), and the words for a failed handshake: what
 * an operator should read in the status page's `lastError` instead of an OpenSSL code.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';
import type { UplinkTlsSettings } from '../config/tls-config.ts';

/** What the uplink hands to the TLS connection (ws passes it to tls.connect). */
export interface UplinkTlsOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Reads the files of `settings`. Throws ConfigError naming a file that cannot be read or a key others can read. */
export function loadUplinkTls(settings: UplinkTlsSettings): UplinkTlsOptions {
  const read = (path: string | null, flag: string, secret: boolean): Buffer | undefined => {
    if (path === null) return undefined;
    try {
      const mode = statSync(path).mode & 0o777;
      if (secret && (mode & 0o077) !== 0) throw new ConfigError(flag, `${path} is readable by others (mode ${mode.toString(8)}): chmod 600 ${path}`);
      return readFileSync(path);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(flag, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };
  const ca = read(settings.caFile, '--ca-file', false);
  const cert = read(settings.certFile, '--cert-file', false);
  const key = read(settings.keyFile, '--key-file', true);
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

const WORDS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: "the collector's certificate has expired",
  CERT_NOT_YET_VALID: "the collector's certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "the collector's certificate is for another host name",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the collector's certificate is not signed by a trusted CA (--ca-file)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the collector's certificate is not signed by a trusted CA (--ca-file)",
  SELF_SIGNED_CERT_IN_CHAIN: "the collector's certificate chains to a CA this agent does not trust (--ca-file)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the collector's certificate is self-signed and not trusted (--ca-file)",
  EPROTO: 'TLS handshake failed',
};

/** A readable reason for a connection error, with Node's own message kept after it. */
export function describeConnectError(err: Error & { code?: string }): string {
  const words = err.code === undefined ? undefined : WORDS[err.code];
  if (words !== undefined) return `${words}: ${err.message}`;
  // The collector refused the handshake: it asked for a client certificate this agent lacks or it does not trust.
  if (/alert (certificate required|bad certificate|unknown ca)|alert number 116/i.test(err.message)) return `the collector refused this agent's client certificate (--cert-file, --key-file): ${err.message}`;
  return err.message;
}
