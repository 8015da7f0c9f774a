/**
 * Real receivers of alert notifications on loopback, for the channel contract suite and the
 * delivery tests:
 *
 * - a webhook endpoint that verifies Standard Webhooks signatures with its own implementation
 *   (Node crypto, following the spec: the whsec_ key base64-decoded, HMAC-SHA256 over
 *   "{id}.{timestamp}.{body}", any of the space-separated `v1,` signatures, timestamp within 5 min);
 * - a Slack-shaped incoming webhook (JSON with `text` and `blocks`, answers `ok`);
 * - an SMTP server (the smtp-server library) that offers STARTTLS with a throw-away certificate,
 *   accepts AUTH only over TLS, and parses each message with mailparser.
 *
 * Each can be told to fail its next deliveries: `transient` (HTTP 503 / SMTP 451), `throttle`
 * (HTTP 429 with Retry-After / SMTP 421) or `reject` (HTTP 400 / SMTP 550).
 */
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { tempDir } from './processes.ts';

export type Failure = { readonly kind: 'transient' } | { readonly kind: 'throttle'; readonly retryAfterS: number } | { readonly kind: 'reject' };

/** One delivery a receiver accepted. */
export interface Received {
  /** webhook-id, the email's Message-ID, or the notification id a Slack message shows. */
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Accepted deliveries, in arrival order (a redelivery after a crash appears twice, same id). */
  readonly received: Received[];
  /** Every attempt, failed ones included. */
  attempts: number;
  /** Fails the next deliveries, in this order. */
  failNext(...failures: Failure[]): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Standard Webhooks verification, written from the spec (not the sender's code). Returns the reason it fails, or null. */
export function verifyStandardWebhook(secret: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: string, nowS = Math.floor(Date.now() / 1000)): string | null {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return 'missing webhook-id, webhook-timestamp or webhook-signature';
  if (!/^\d+$/.test(ts) || Math.abs(nowS - Number(ts)) > 300) return `timestamp ${ts} outside the 5-minute tolerance`;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  for (const s of sigs.split(' ')) {
    const [version, b64] = s.split(',', 2);
    if (version !== 'v1' || b64 === undefined) continue;
    const got = Buffer.from(b64, 'base64');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return null;
  }
  return 'no v1 signature matches';
}

async function httpReceiver(handle: (headers: IncomingMessage['headers'], body: string) => { ok: true; received: Received } | { ok: false; status: number; text: string }): Promise<Receiver> {
  const failures: Failure[] = [];
  const received: Received[] = [];
  let server: Server;
  const r: Receiver = {
    url: '',
    port: 0,
    received,
    attempts: 0,
    failNext: (...f) => void failures.push(...f),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      r.attempts++;
      const f = failures.shift();
      if (f !== undefined) {
        if (f.kind === 'throttle') res.writeHead(429, { 'retry-after': String(f.retryAfterS), 'content-type': 'text/plain' }).end('rate_limited');
        else if (f.kind === 'transient') res.writeHead(503, { 'content-type': 'text/plain' }).end('service_unavailable');
        else res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      const out = handle(req.headers, body);
      if (!out.ok) return void res.writeHead(out.status, { 'content-type': 'text/plain' }).end(out.text);
      received.push(out.received);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(r, { port, url: `http://127.0.0.1:${port}/hook` });
}

const flat = (h: IncomingMessage['headers']): Record<string, string> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));

/** A webhook endpoint that accepts only deliveries whose Standard Webhooks signature verifies (else 401). */
export function startWebhookReceiver(secret: string): Promise<Receiver & { readonly refused: string[] }> {
  const refused: string[] = [];
  return httpReceiver((headers, body) => {
    const why = verifyStandardWebhook(secret, headers, body);
    if (why !== null) {
      refused.push(why);
      return { ok: false, status: 401, text: why };
    }
    return { ok: true, received: { id: headers['webhook-id'] as string, body: JSON.parse(body) as Record<string, unknown>, headers: flat(headers) } };
  }).then((r) => Object.assign(r, { refused }));
}

/** A Slack incoming-webhook stand-in: JSON with a text and a blocks array, else 400 invalid_payload. The id is the one the context block shows. */
export function startSlackReceiver(): Promise<Receiver> {
  return httpReceiver((headers, body) => {
    let parsed: { text?: unknown; blocks?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return { ok: false, status: 400, text: 'invalid_payload' };
    }
    if (typeof parsed.text !== 'string' || !Array.isArray(parsed.blocks) || headers['content-type'] !== 'application/json') return { ok: false, status: 400, text: 'invalid_payload' };
    const id = /notification (msg_[A-Za-z0-9_-]+)/.exec(body)?.[1] ?? '';
    return { ok: true, received: { id, body: parsed as Record<string, unknown>, headers: flat(headers) } };
  });
}

/** A certificate for 127.0.0.1 and localhost, valid for a day: key, cert and the cert's file (the CA a client trusts). */
export function throwAwayCertificate(): { key: string; cert: string; certFile: string } {
  const dir = tempDir('sigmascope-cert-');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** What the SMTP receiver saw of a message besides its content. */
export interface SmtpSession {
  readonly secure: boolean;
  readonly user: string | null;
}

/** An SMTP server offering STARTTLS, AUTH only over TLS with `user`/`pass`. Each Received's body is {subject, text, from, to, session}. */
export async function startSmtpReceiver(user: string, pass: string): Promise<Receiver & { readonly caFile: string }> {
  const tls = throwAwayCertificate();
  const failures: Failure[] = [];
  const received: Received[] = [];
  const r = { url: '', port: 0, received, attempts: 0, failNext: (...f: Failure[]) => void failures.push(...f), close: async () => {}, caFile: tls.certFile };
  const server = new SMTPServer({
    key: tls.key, cert: tls.cert, authMethods: ['PLAIN', 'LOGIN'], allowInsecureAuth: false, logger: false, disableReverseLookup: true,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      r.attempts++;
      void simpleParser(stream).then((mail) => {
        const f = failures.shift();
        if (f !== undefined) {
          const code = f.kind === 'reject' ? 550 : f.kind === 'throttle' ? 421 : 451;
          return cb(Object.assign(new Error(f.kind === 'reject' ? 'mailbox unavailable' : 'try again later'), { responseCode: code }));
        }
        const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
        received.push({
          id: (mail.messageId ?? '').replace(/^<|>$/g, '').replace(/@sigmascope$/, ''),
          body: { subject: mail.subject ?? '', text: mail.text ?? '', from: mail.from?.text ?? '', to: to.map((a) => a.address), session: { secure: session.secure, user: (session.user as string | undefined) ?? null } },
          headers: Object.fromEntries([...mail.headers].map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
        });
        cb();
      }, (err: Error) => cb(err));
    },
  });
  // A sender killed mid-session (the kill -9 tests) resets its connection: smtp-server reports that
  // as an 'error' event, which is the expected end of that session, not a failure of the receiver.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(r, { port, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

/** A fresh `whsec_` secret (24 random bytes). */
export function webhookSecret(): string {
  return `whsec_${Buffer.from(Array.from({ length: 24 }, () => Math.floor(Math.random() * 256))).toString('base64')}`;
}
