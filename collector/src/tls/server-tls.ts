/**
 * The collector's TLS material, read from the configured files: at start (a bad file stops the
 * start with a message naming it) and again on SIGHUP, when a renewed certificate replaces the
 * old one for new connections while open ones (agents streaming) carry on untouched:
 *
 *   start ──read + check──▶ https server (secure context A)
 *   SIGHUP ─read + check──▶ ok: setSecureContext(B): new handshakes get B, open sockets keep A
 *                           bad: A stays, the error is logged and audited
 *
 * A client CA makes the server ask every client for a certificate without failing the handshake
 * for lack of one, so browsers still reach the dashboard; ingest then refuses an agent whose
 * certificate is missing or does not chain to that CA (ingest-server.ts, `clientCertRefusal`).
 */
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { ConfigError } from '@sigmascope/protocol/config-error';
import type { Logger } from '@sigmascope/protocol/log';
import type { AuditSink } from '../audit/audit-entry.ts';
import type { ServerTlsSettings } from '../config/tls-config.ts';

/** The https options of `settings`, files read and checked. Throws ConfigError naming the file at fault. */
export function loadServerTls(settings: ServerTlsSettings): ServerOptions {
  const read = (path: string, what: string, secret: boolean): Buffer => {
    try {
      // A private key that every user of the host can read is no longer private.
      if (secret && (statSync(path).mode & 0o004) !== 0) throw new ConfigError(`tls.${what}`, `${path} is readable by every user (mode ${(statSync(path).mode & 0o777).toString(8)}): chmod 600 ${path}`);
      return readFileSync(path);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(`tls.${what}`, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };
  const options: ServerOptions = {
    cert: read(settings.certFile, 'certFile', false),
    key: read(settings.keyFile, 'keyFile', true),
    ...(settings.clientCaFile === null ? {} : { ca: read(settings.clientCaFile, 'clientCaFile', false), requestCert: true, rejectUnauthorized: false }),
  };
  try {
    createSecureContext(options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const file = /key/i.test(message) ? settings.keyFile : settings.certFile;
    throw new ConfigError('tls', `${file}: ${message} (certificate ${settings.certFile}, key ${settings.keyFile})`);
  }
  return options;
}

/**
 * Why an upgrade must be refused for its client certificate, or null when it may go on: always
 * null unless `settings` require one.
 */
export function clientCertRefusal(settings: ServerTlsSettings | null, req: IncomingMessage): string | null {
  if (settings === null || !settings.requireClientCert) return null;
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return 'client certificate required (this connection is not TLS)';
  if (socket.authorized) return null;
  const peer = socket.getPeerCertificate();
  if (peer === null || Object.keys(peer).length === 0) return 'client certificate required';
  return `client certificate not accepted (${String(socket.authorizationError ?? 'not signed by the client CA')})`;
}

/**
 * Reads the TLS files again and hands them to the server for new connections (SIGHUP). A bad
 * file keeps the current certificate. Either way the attempt is logged and audited
 * (`config.reload`, actor `signal`).
 */
export function reloadServerTls(settings: ServerTlsSettings, apply: (options: ServerOptions) => void, audit: AuditSink, log: Logger): { ok: true } | { ok: false; error: string } {
  try {
    apply(loadServerTls(settings));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    log.error('TLS reload failed; the current certificate stays', { error });
    audit.record({ actor: 'signal', action: 'config.reload', target: 'tls', detail: { ok: false, error, certFile: settings.certFile } });
    return { ok: false, error };
  }
  log.info('TLS certificate reloaded; new connections use it', { certFile: settings.certFile });
  audit.record({ actor: 'signal', action: 'config.reload', target: 'tls', detail: { ok: true, certFile: settings.certFile } });
  return { ok: true };
}
