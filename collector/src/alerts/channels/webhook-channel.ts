/**
 * `type: webhook`: POST of the alert as JSON, signed as Standard Webhooks specify:
 *
 *   webhook-id:        the notification id (the same on every retry: receivers dedupe on it)
 *   webhook-timestamp: seconds since the epoch at this attempt
 *   webhook-signature: v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">, keyed by the
 *                      base64-decoded part of the `whsec_` secret after the prefix
 *
 * Body: {"type": "alert.firing"|"alert.resolved", "timestamp", "data": {"id", "rule", "state",
 * "startsAt", "endsAt", "summary", "labels", "incident"?}} with times as ISO 8601 (docs/alerts.md).
 */
import { createHmac } from 'node:crypto';
import type { Notification } from '../alert.ts';
import type { WebhookChannelConfig } from '../config/channel-config.ts';
import type { Channel } from './channel.ts';
import { outcomeOf, outcomeOfError } from './http-outcome.ts';

/** The JSON body of a notification: the same bytes on every attempt. */
export function webhookBody(n: Notification): string {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  const a = n.alert;
  return JSON.stringify({
    type: a.state === 'firing' ? 'alert.firing' : 'alert.resolved',
    timestamp: iso(n.createdAt),
    data: { id: a.id, rule: a.rule, state: a.state, startsAt: iso(a.startsAt), endsAt: iso(a.endsAt), summary: a.summary, labels: a.labels, ...(a.incident !== null ? { incident: a.incident } : {}), repeat: n.kind === 'repeat' },
  });
}

/** `v1,<signature>` for one attempt (Standard Webhooks, symmetric). */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export function webhookChannel(config: WebhookChannelConfig, clock: () => number = Date.now): Channel {
  return {
    name: config.name,
    type: 'webhook',
    async send(n, signal) {
      const body = webhookBody(n);
      const timestamp = Math.floor(clock() / 1000);
      try {
        const res = await fetch(config.url, {
          method: 'POST', body, signal, redirect: 'manual',
          headers: { 'content-type': 'application/json', 'user-agent': 'sigmascope-alerts', 'webhook-id': n.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature(config.secret, n.id, timestamp, body) },
        });
        return await outcomeOf(res);
      } catch (err) {
        return outcomeOfError(err);
      }
    },
    close: async () => {},
  };
}
