/**
 * `type: slack`: a Slack incoming webhook, `{"text", "blocks"}`: the headline as text (what
 * notifications and clients without blocks show), and blocks with the summary, the labels, the
 * times and the notification id (so a person can match a message to the alert and the audit log).
 * Slack answers 200 `ok`, 4xx with a reason (`invalid_payload`, `no_service`: given up), 429 with
 * Retry-After (honoured).
 */
import type { Notification } from '../alert.ts';
import type { SlackChannelConfig } from '../config/channel-config.ts';
import { headline } from './channel.ts';
import type { Channel } from './channel.ts';
import { outcomeOf, outcomeOfError } from './http-outcome.ts';

/** Slack's mrkdwn needs &, < and > escaped. */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The incoming-webhook body of a notification. */
export function slackBody(n: Notification): { text: string; blocks: unknown[] } {
  const a = n.alert;
  const firing = a.state === 'firing';
  const labels = Object.entries(a.labels).map(([k, v]) => `\`${esc(k)}\`=${esc(v)}`).join('  ');
  const times = `started ${new Date(a.startsAt).toISOString()}${a.endsAt !== null ? ` · resolved ${new Date(a.endsAt).toISOString()}` : ''}`;
  return {
    text: headline(n),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${firing ? '🔴 FIRING' : '✅ RESOLVED'}: ${a.rule}`.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: esc(a.summary).slice(0, 3000) } },
      ...(labels ? [{ type: 'section', text: { type: 'mrkdwn', text: labels.slice(0, 3000) } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${times} · alert ${a.id} · notification ${n.id}${n.kind === 'repeat' ? ' · repeat' : ''}` }] },
    ],
  };
}

export function slackChannel(config: SlackChannelConfig): Channel {
  return {
    name: config.name,
    type: 'slack',
    async send(n, signal) {
      try {
        const res = await fetch(config.url, { method: 'POST', body: JSON.stringify(slackBody(n)), signal, redirect: 'manual', headers: { 'content-type': 'application/json', 'user-agent': 'sigmascope-alerts' } });
        return await outcomeOf(res);
      } catch (err) {
        return outcomeOfError(err);
      }
    },
    close: async () => {},
  };
}
