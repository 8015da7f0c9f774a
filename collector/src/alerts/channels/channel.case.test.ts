/**
 * The contract every Channel keeps, run against each channel type with its real receiver on
 * loopback (tests/support/alert-receivers.ts): a notification arrives once per send with its
 * stable id; a retry is the same notification; transient failures and throttling are retryable
 * (Retry-After honoured where the protocol has one); refusals are permanent and say why; an
 * unreachable receiver is retryable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackReceiver, startSmtpReceiver, startWebhookReceiver, webhookSecret } from '../../../../tests/support/alert-receivers.ts';
import type { Receiver } from '../../../../tests/support/alert-receivers.ts';
import type { Notification } from '../alert.ts';
import type { Channel } from './channel.ts';
import { emailChannel } from './email-channel.ts';
import { slackChannel } from './slack-channel.ts';
import { webhookChannel } from './webhook-channel.ts';

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
const note = (id: string, state: 'firing' | 'resolved' = 'firing'): Notification => ({
  id, kind: state, createdAt: T0 + 60_000,
  alert: { id: 'al_x', rule: 'gpu-hot', state, startsAt: T0, endsAt: state === 'resolved' ? T0 + 120_000 : null, summary: 'hw.gpu.temperature is 90 on gpu-01, above 85 for 1m', labels: { agent: 'gpu-01', 'hw.id': 'GPU-0' }, incident: null },
});
const signal = () => AbortSignal.timeout(10_000);

interface Case {
  readonly type: string;
  start(): Promise<{ receiver: Receiver; channel: Channel; deadChannel: Channel }>;
  /** What the receiver shows a person, checked for each state. */
  content(r: Receiver['received'][number], n: Notification): void;
  readonly retryAfter: boolean;
}

const CASES: Case[] = [
  {
    type: 'webhook',
    retryAfter: true,
    async start() {
      const secret = webhookSecret();
      const receiver = await startWebhookReceiver(secret);
      return { receiver, channel: webhookChannel({ name: 'hook', type: 'webhook', url: receiver.url, secret }), deadChannel: webhookChannel({ name: 'dead', type: 'webhook', url: 'http://127.0.0.1:1/hook', secret }) };
    },
    content(r, n) {
      expect(r.body).toEqual({
        type: n.alert.state === 'firing' ? 'alert.firing' : 'alert.resolved', timestamp: new Date(n.createdAt).toISOString(),
        data: { id: 'al_x', rule: 'gpu-hot', state: n.alert.state, startsAt: new Date(T0).toISOString(), endsAt: n.alert.endsAt === null ? null : new Date(n.alert.endsAt).toISOString(), summary: n.alert.summary, labels: n.alert.labels, repeat: false },
      });
    },
  },
  {
    type: 'slack',
    retryAfter: true,
    async start() {
      const receiver = await startSlackReceiver();
      return { receiver, channel: slackChannel({ name: 'slack', type: 'slack', url: receiver.url }), deadChannel: slackChannel({ name: 'dead', type: 'slack', url: 'http://127.0.0.1:1/hook' }) };
    },
    content(r, n) {
      expect(r.body.text).toBe(`[${n.alert.state === 'firing' ? 'FIRING' : 'RESOLVED'}] gpu-hot: hw.gpu.temperature is 90 on gpu-01, above 85 for 1m`);
      expect(JSON.stringify(r.body.blocks)).toContain('`hw.id`=GPU-0');
    },
  },
  {
    type: 'email',
    retryAfter: false,
    async start() {
      const receiver = await startSmtpReceiver('alerts', 'smtp-pass-1234');
      const smtp = { host: '127.0.0.1', port: receiver.port, secure: false, requireTLS: true, user: 'alerts', pass: 'smtp-pass-1234', ca: (await import('node:fs')).readFileSync(receiver.caFile, 'utf8') };
      return {
        receiver,
        channel: emailChannel({ name: 'mail', type: 'email', smtp, from: 'Sigmascope <sigmascope@example.com>', to: ['oncall@example.com'] }, 10_000),
        deadChannel: emailChannel({ name: 'dead', type: 'email', smtp: { ...smtp, port: 1 }, from: 'sigmascope@example.com', to: ['oncall@example.com'] }, 2_000),
      };
    },
    content(r, n) {
      expect(r.body.subject).toBe(`[${n.alert.state === 'firing' ? 'FIRING' : 'RESOLVED'}] gpu-hot: hw.gpu.temperature is 90 on gpu-01, above 85 for 1m`);
      expect(r.body.to).toEqual(['oncall@example.com']);
      expect(r.body.text).toContain('hw.id: GPU-0');
      // STARTTLS happened before AUTH, which the server offers only over TLS.
      expect(r.body.session).toEqual({ secure: true, user: 'alerts' });
    },
  },
];

describe.each(CASES)('channel contract: $type', (c) => {
  let receiver: Receiver;
  let channel: Channel;
  let deadChannel: Channel;
  beforeAll(async () => ({ receiver, channel, deadChannel } = await c.start()));
  afterAll(async () => {
    await channel.close();
    await deadChannel.close();
    await receiver.close();
  });

  it('delivers a firing and a resolved notification, each once, under its id', async () => {
    const before = receiver.received.length;
    expect(await channel.send(note('msg_fire1'), signal())).toMatchObject({ ok: true });
    expect(await channel.send(note('msg_res1', 'resolved'), signal())).toMatchObject({ ok: true });
    const got = receiver.received.slice(before);
    expect(got.map((r) => r.id)).toEqual(['msg_fire1', 'msg_res1']);
    c.content(got[0] as Receiver['received'][number], note('msg_fire1'));
    c.content(got[1] as Receiver['received'][number], note('msg_res1', 'resolved'));
  });

  it('a retry is the same notification: the same id and content', async () => {
    const before = receiver.received.length;
    await channel.send(note('msg_again'), signal());
    await channel.send(note('msg_again'), signal());
    const [a, b] = receiver.received.slice(before);
    expect([a?.id, b?.id]).toEqual(['msg_again', 'msg_again']);
    expect(b?.body).toEqual(a?.body);
  });

  it('retries transient failures and throttling, gives up on a refusal, naming the status', async () => {
    receiver.failNext({ kind: 'transient' }, { kind: 'throttle', retryAfterS: 2 }, { kind: 'reject' });
    const transient = await channel.send(note('msg_t'), signal());
    const throttled = await channel.send(note('msg_t'), signal());
    const refused = await channel.send(note('msg_t'), signal());
    expect(transient).toMatchObject({ ok: false, retry: true });
    expect(throttled).toMatchObject({ ok: false, retry: true, afterMs: c.retryAfter ? 2_000 : null });
    expect(refused).toMatchObject({ ok: false, retry: false });
    expect((refused as { error: string }).error).toMatch(c.type === 'email' ? /^SMTP 550/ : /^HTTP 400: invalid_payload$/);
    expect(await channel.send(note('msg_t'), signal())).toMatchObject({ ok: true });
  });

  it('an unreachable receiver is worth retrying', async () => {
    expect(await deadChannel.send(note('msg_dead'), signal())).toMatchObject({ ok: false, retry: true, status: null });
  });
});
