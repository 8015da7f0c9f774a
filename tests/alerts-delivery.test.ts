/**
 * Issue 13, "Done when" 2: each channel gets exactly one firing and one resolved notification per
 * alert, through receivers that fail their first deliveries and across collector `kill -9`s; the
 * webhook signatures verify. Real collector processes (the CLI, a YAML config with secrets from a
 * file and the environment), a virtual agent speaking the real protocol, real receivers on
 * loopback: a Standard Webhooks verifier, a Slack-shaped endpoint, an SMTP server with STARTTLS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { series } from '../protocol/src/series.ts';
import { startSlackReceiver, startSmtpReceiver, startWebhookReceiver, webhookSecret } from './support/alert-receivers.ts';
import type { Receiver } from './support/alert-receivers.ts';
import { scanForKey } from './support/leak-scan.ts';
import { getJson, kill9, killAll, runCli, startCli, stop, tempDir, waitFor, waitForOutput } from './support/processes.ts';
import type { Proc } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

const SMTP_PASS = 'smtp-secret-pass-9f3k';
const SLACK_PATH = '/services/T000/B000/slack-secret-path-7d2m';
let secret: string;
let hook: Receiver & { refused: string[] };
let slack: Receiver;
let mail: Receiver & { caFile: string };
let dataDir: string;
let configFile: string;
let collector: Proc;
let port: number;
let admin: string;
let agentToken: string;
const logs: string[] = [];

async function startCollectorProc(): Promise<void> {
  collector = startCli(['collector', '--listen', '127.0.0.1', '--port', '0', '--data', dataDir, '--config', configFile], { env: { SIGMASCOPE_LOG_LEVEL: 'info', ALERTS_SMTP_PASS: SMTP_PASS } });
  port = Number(await waitForOutput(collector, /listening on http:\/\/127\.0\.0\.1:(\d+)/));
}

async function killCollector(): Promise<void> {
  await kill9(collector);
  logs.push(collector.output());
}

/** Sends 3 s of GPU temperature at `value`, ending now, as one batch (acknowledged before it returns). */
let seq = 0;
async function sendTemperature(value: number): Promise<void> {
  const ws = await connectAgent(`ws://127.0.0.1:${port}/ingest`, agentToken);
  ws.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'main', hostname: 'gpu-01', clock: Date.now() });
  await ws.waitFor(1);
  const welcome = ws.received[0] as { lastSeq?: number };
  seq = Math.max(seq, welcome.lastSeq ?? 0);
  const b = new BatchBuilder();
  const now = Date.now();
  for (let t = now - 3_000; t <= now; t += 250) b.add(series('hw.gpu.temperature', { 'hw.id': 'GPU-0' }), t, value);
  ws.send(encodeFrame(b.seal(++seq, now)));
  await ws.waitFor(2);
  await ws.close();
}

const distinctIds = (r: Receiver, state: 'firing' | 'resolved'): string[] => [...new Set(r.received.filter((x) => stateOf(r, x) === state).map((x) => x.id))];
function stateOf(r: Receiver, x: Receiver['received'][number]): string {
  if (r === hook) return (x.body.data as { state: string }).state;
  if (r === mail) return String(x.body.subject).startsWith('[FIRING]') ? 'firing' : 'resolved';
  return String(x.body.text).startsWith('[FIRING]') ? 'firing' : 'resolved';
}

beforeAll(async () => {
  secret = webhookSecret();
  [hook, slack, mail] = await Promise.all([startWebhookReceiver(secret), startSlackReceiver(), startSmtpReceiver('alerts', SMTP_PASS)]);
  dataDir = tempDir('sigmascope-alerts-');
  const secretFile = join(dataDir, '..', `hook-secret-${process.pid}`);
  const slackFile = join(dataDir, '..', `slack-url-${process.pid}`);
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  writeFileSync(slackFile, `http://127.0.0.1:${slack.port}${SLACK_PATH}\n`, { mode: 0o600 });
  configFile = join(dataDir, 'collector.yaml');
  writeFileSync(configFile, `
alerts:
  evaluateEvery: 300ms
  delivery: {backoffBase: 200ms, backoffCap: 1s, timeout: 5s}
  channels:
    - {name: ops-hook, type: webhook, url: "${hook.url}", secret: {file: ${secretFile}}}
    - {name: ops-slack, type: slack, url: {file: ${slackFile}}}
    - name: ops-mail
      type: email
      smtp: {host: 127.0.0.1, port: ${mail.port}, requireTLS: true, user: alerts, pass: {env: ALERTS_SMTP_PASS}, caFile: ${mail.caFile}}
      from: "Sigmascope <sigmascope@example.com>"
      to: [oncall@example.com]
  rules:
    - {name: gpu-hot, on: threshold, metric: hw.gpu.temperature, above: 85, recover: 80, for: 1s, channels: [ops-hook, ops-slack, ops-mail]}
`);
  const a = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', dataDir]);
  const g = runCli(['token', 'create', 'gpu-01', '--data', dataDir]);
  if (a.status !== 0 || g.status !== 0) throw new Error(`token create: ${a.stderr}${g.stderr}`);
  admin = a.stdout.trim();
  agentToken = g.stdout.trim();
  await startCollectorProc();
});

afterAll(async () => {
  if (collector) await stop(collector);
  killAll();
  await Promise.all([hook?.close(), slack?.close(), mail?.close()]);
});

describe('alert delivery across failing receivers and collector kill -9', () => {
  it('one firing and one resolved notification per channel, signatures verified, nothing leaked', async () => {
    const receivers = [hook, slack, mail];
    // Every receiver refuses its first two firing deliveries: 503 (451 by SMTP), then 429 Retry-After 3 s (421).
    for (const r of receivers) r.failNext({ kind: 'transient' }, { kind: 'throttle', retryAfterS: 3 });
    await sendTemperature(91);
    await waitFor('every receiver refused twice', () => (receivers.every((r) => r.attempts >= 2) ? true : undefined), 30_000, 20);
    expect(receivers.map((r) => r.received.length)).toEqual([0, 0, 0]);
    await killCollector(); // the firing notifications are queued in the store, undelivered
    await startCollectorProc();
    await waitFor('firing delivered to every channel', () => (receivers.every((r) => r.received.length >= 1) ? true : undefined), 60_000);

    for (const r of receivers) r.failNext({ kind: 'transient' }, { kind: 'transient' });
    const before = receivers.map((r) => r.attempts);
    await sendTemperature(72);
    await waitFor('every receiver refused the resolve', () => (receivers.every((r, i) => r.attempts >= (before[i] as number) + 1) ? true : undefined), 30_000, 20);
    await killCollector();
    await startCollectorProc();
    await waitFor('resolved delivered to every channel', () => (receivers.every((r) => r.received.length >= 2) ? true : undefined), 60_000);
    // A few more evaluations: nothing else may arrive.
    const quiet = Date.now() + 3_000;
    await waitFor('a quiet spell', () => (Date.now() > quiet ? true : undefined), 10_000, 100);

    for (const r of receivers) {
      expect(distinctIds(r, 'firing')).toHaveLength(1);
      expect(distinctIds(r, 'resolved')).toHaveLength(1);
      expect(r.received).toHaveLength(2);
    }
    expect(hook.refused).toEqual([]);
    const firing = hook.received[0]?.body as { type: string; data: { id: string; rule: string; labels: Record<string, string>; endsAt: string | null } };
    expect(firing.type).toBe('alert.firing');
    expect(firing.data).toMatchObject({ rule: 'gpu-hot', labels: { agent: 'gpu-01', 'hw.id': 'GPU-0', metric: 'hw.gpu.temperature' }, endsAt: null });
    expect((hook.received[1]?.body as { type: string; data: { id: string } }).data.id).toBe(firing.data.id);
    expect(String(mail.received[0]?.body.subject)).toMatch(/^\[FIRING\] gpu-hot: hw\.gpu\.temperature is 91 on gpu-01/);
    expect(String(mail.received[1]?.body.subject)).toMatch(/^\[RESOLVED\] gpu-hot: /);
    expect(mail.received.map((m) => (m.body.session as { secure: boolean }).secure)).toEqual([true, true]);

    const base = `http://127.0.0.1:${port}`;
    const { alerts } = await getJson<{ alerts: { id: string; state: string; deliveries: { channel: string; kind: string; state: string; attempts: number }[] }[] }>(`${base}/api/v1/alerts`, admin);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.id).toBe(firing.data.id);
    expect(alerts[0]?.state).toBe('resolved');
    expect(alerts[0]?.deliveries.map((d) => `${d.channel} ${d.kind} ${d.state}`).sort()).toEqual(
      ['ops-hook firing delivered', 'ops-hook resolved delivered', 'ops-mail firing delivered', 'ops-mail resolved delivered', 'ops-slack firing delivered', 'ops-slack resolved delivered'],
    );
    const { entries } = await getJson<{ entries: { action: string; target: string; actor: string }[] }>(`${base}/api/v1/audit?action=alert.*`, admin);
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([`system alert.resolve ${firing.data.id}`, `system alert.fire ${firing.data.id}`]);

    logs.push(collector.output());
    const texts = { logs: logs.join('\n'), alerts: JSON.stringify(alerts), audit: JSON.stringify(entries) };
    for (const s of [secret, secret.slice('whsec_'.length), SMTP_PASS, SLACK_PATH]) expect(scanForKey(s, { texts, dirs: [dataDir] })).toEqual([]);
  });
});
