/**
 * `type: email`: the alert by SMTP through nodemailer: STARTTLS whenever the server offers it
 * (required with `requireTLS`), TLS from the start with `secure`, AUTH with user/pass, the
 * server's certificate checked (against `caFile` for a private CA). Subject
 * `[FIRING|RESOLVED] <rule>: <summary>`; the Message-ID is the notification id, so a retry is
 * the same message to every mail system that dedupes on it. SMTP 4xx and connection failures
 * are retried; 5xx and a refused login are given up.
 */
import { createTransport } from 'nodemailer';
import { redact } from '@sigmascope/protocol/log';
import type { Notification } from '../alert.ts';
import type { EmailChannelConfig } from '../config/channel-config.ts';
import { headline } from './channel.ts';
import type { Channel, SendOutcome } from './channel.ts';

/** The text body: summary, labels, times, ids. */
export function emailText(n: Notification): string {
  const a = n.alert;
  return [
    headline(n),
    '',
    a.summary,
    '',
    ...Object.entries(a.labels).map(([k, v]) => `${k}: ${v}`),
    '',
    `started:  ${new Date(a.startsAt).toISOString()}`,
    ...(a.endsAt !== null ? [`resolved: ${new Date(a.endsAt).toISOString()}`] : []),
    `alert:    ${a.id}`,
    `message:  ${n.id}${n.kind === 'repeat' ? ' (repeat)' : ''}`,
    ...(a.incident !== null ? [`incident: ${a.incident.id} (${a.incident.cause}, confidence ${a.incident.confidence.toFixed(2)})`] : []),
    '',
    '-- Sigmascope',
  ].join('\n');
}

/** Maps a nodemailer failure to an outcome: SMTP reply codes decide, else the error code. */
export function emailOutcome(err: unknown): SendOutcome {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  const error = redact(`SMTP ${status ?? e.code ?? 'error'}: ${(e.response ?? e.message ?? String(err)).slice(0, 200)}`);
  if (status !== null) return status >= 500 || e.code === 'EAUTH' ? { ok: false, retry: false, status, error } : { ok: false, retry: true, afterMs: null, status, error };
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.code === 'EENVELOPE' || e.code === 'EREQUIRETLS') return { ok: false, retry: false, status, error };
  return { ok: false, retry: true, afterMs: null, status, error };
}

export function emailChannel(config: EmailChannelConfig, timeoutMs: number): Channel {
  const m = config.smtp;
  const transport = createTransport({
    host: m.host, port: m.port, secure: m.secure, requireTLS: m.requireTLS,
    ...(m.user !== null && m.pass !== null ? { auth: { user: m.user, pass: m.pass } } : {}),
    tls: { ...(m.ca !== null ? { ca: m.ca } : {}), minVersion: 'TLSv1.2' },
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
  });
  return {
    name: config.name,
    type: 'email',
    async send(n, signal) {
      if (signal.aborted) return { ok: false, retry: true, afterMs: null, status: null, error: 'timed out' };
      try {
        const info = await transport.sendMail({
          from: config.from, to: [...config.to], subject: headline(n).slice(0, 250), text: emailText(n),
          messageId: `<${n.id}@sigmascope>`, headers: { 'X-Sigmascope-Alert': n.alert.id, 'X-Sigmascope-State': n.alert.state },
        });
        const code = /^(\d{3})/.exec(info.response ?? '')?.[1];
        return { ok: true, status: code === undefined ? null : Number(code) };
      } catch (err) {
        return emailOutcome(err);
      }
    },
    close: async () => transport.close(),
  };
}
