/**
 * The `alerts.channels` list: where notifications go. Secrets (a webhook's `secret`, a Slack
 * `url`, an SMTP `pass`) go through secretValue: a string, `{file: PATH}` or `{env: NAME}`.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { boolValue, enumValue, intValue, stringValue, urlValue } from '@sigmascope/protocol/config-fields';
import { secretValue } from './secret-value.ts';
import { strictSection } from './strict-keys.ts';

export const CHANNEL_TYPES = ['webhook', 'slack', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface WebhookChannelConfig {
  readonly name: string;
  readonly type: 'webhook';
  readonly url: string;
  /** The `whsec_<base64>` secret whose base64 part is the HMAC key (Standard Webhooks). */
  readonly secret: string;
}

export interface SlackChannelConfig {
  readonly name: string;
  readonly type: 'slack';
  /** The incoming-webhook URL: a secret (whoever has it can post). */
  readonly url: string;
}

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when the server offers it. */
  readonly secure: boolean;
  /** Refuse to send unless the connection is encrypted (STARTTLS required). */
  readonly requireTLS: boolean;
  readonly user: string | null;
  readonly pass: string | null;
  /** PEM text of the CA that signs the server's certificate, for a private CA; null: the system's. */
  readonly ca: string | null;
}

export interface EmailChannelConfig {
  readonly name: string;
  readonly type: 'email';
  readonly smtp: SmtpConfig;
  readonly from: string;
  readonly to: readonly string[];
}

export type ChannelConfig = WebhookChannelConfig | SlackChannelConfig | EmailChannelConfig;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$|^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/;

/** Parses the channels list; names are unique. */
export function channelConfigs(raw: unknown, where: string, env: Readonly<Record<string, string | undefined>>): ChannelConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(where, 'must be a list of channels');
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const at = `${where}[${i}]`;
    const type = enumValue((item as { type?: unknown } | null)?.type, `${at}.type`, CHANNEL_TYPES);
    const c = channelConfig(item, at, type, env);
    if (seen.has(c.name)) throw new ConfigError(`${at}.name`, `${JSON.stringify(c.name)} is used by another channel`);
    seen.add(c.name);
    return c;
  });
}

function channelConfig(raw: unknown, at: string, type: ChannelType, env: Readonly<Record<string, string | undefined>>): ChannelConfig {
  switch (type) {
    case 'webhook': {
      const s = strictSection(raw, at, ['name', 'type', 'url', 'secret']);
      const secret = secretValue(s.secret, `${at}.secret`, env);
      if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret.slice(6), 'base64').length < 16) {
        throw new ConfigError(`${at}.secret`, 'is not a whsec_ secret with at least 16 bytes of base64 after the prefix (the value is not shown)');
      }
      return Object.freeze({ name: stringValue(s.name, `${at}.name`, NAME, 'a channel name'), type, url: urlValue(s.url, `${at}.url`, ['http:', 'https:']), secret });
    }
    case 'slack': {
      const s = strictSection(raw, at, ['name', 'type', 'url']);
      const url = secretValue(s.url, `${at}.url`, env);
      try {
        if (!['http:', 'https:'].includes(new URL(url).protocol)) throw new Error('protocol');
      } catch {
        throw new ConfigError(`${at}.url`, 'is not an http(s) URL (the value is not shown: it is a secret)');
      }
      return Object.freeze({ name: stringValue(s.name, `${at}.name`, NAME, 'a channel name'), type, url });
    }
    case 'email': {
      const s = strictSection(raw, at, ['name', 'type', 'smtp', 'from', 'to']);
      const m = strictSection(s.smtp, `${at}.smtp`, ['host', 'port', 'secure', 'requireTLS', 'user', 'pass', 'caFile']);
      const secure = m.secure === undefined ? false : boolValue(m.secure, `${at}.smtp.secure`);
      let ca: string | null = null;
      if (m.caFile !== undefined) {
        const file = stringValue(m.caFile, `${at}.smtp.caFile`);
        try {
          ca = readFileSync(file, 'utf8');
        } catch (err) {
          throw new ConfigError(`${at}.smtp.caFile`, `cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
      }
      const user = m.user === undefined ? null : stringValue(m.user, `${at}.smtp.user`);
      const pass = m.pass === undefined ? null : secretValue(m.pass, `${at}.smtp.pass`, env);
      if ((user === null) !== (pass === null)) throw new ConfigError(`${at}.smtp`, 'give both user and pass, or neither');
      const toRaw = typeof s.to === 'string' ? [s.to] : s.to;
      if (!Array.isArray(toRaw) || toRaw.length === 0) throw new ConfigError(`${at}.to`, `${JSON.stringify(s.to)} is not a list of addresses`);
      return Object.freeze({
        name: stringValue(s.name, `${at}.name`, NAME, 'a channel name'),
        type,
        smtp: Object.freeze({
          host: stringValue(m.host, `${at}.smtp.host`), port: m.port === undefined ? (secure ? 465 : 587) : intValue(m.port, `${at}.smtp.port`, 1, 65_535), secure,
          requireTLS: m.requireTLS === undefined ? false : boolValue(m.requireTLS, `${at}.smtp.requireTLS`), user, pass, ca,
        }),
        from: stringValue(s.from, `${at}.from`, ADDRESS, 'an email address'),
        to: Object.freeze(toRaw.map((t, k) => stringValue(t, `${at}.to[${k}]`, ADDRESS, 'an email address'))),
      });
    }
  }
}
