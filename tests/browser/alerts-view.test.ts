/**
 * The Alerts view and the providers view's capability table in a real browser against a real
 * collector: an alert fired by a virtual agent's samples shows each channel's delivery state as
 * the real receivers answer (delivered by SMTP, retrying while the webhook answers 503, given up
 * on Slack's 400 with its reason); an admin silences it from the form and expires the silence,
 * both in the audit log under the admin's name; capability against an SLO appears beside the
 * providers. Screenshots at 1440 and 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BatchBuilder } from '../../protocol/src/batch.ts';
import { encodeFrame } from '../../protocol/src/codec.ts';
import { silentLogger } from '../../protocol/src/log.ts';
import { series } from '../../protocol/src/series.ts';
import { loadCollectorConfig } from '../../collector/src/config/collector-config.ts';
import { runCollector } from '../../collector/src/main.ts';
import type { RunningCollector } from '../../collector/src/main.ts';
import { findWebRoot } from '../../web/src/server/static-assets.ts';
import { ARTIFACTS, collectErrors, ensureWebBuilt, launchBrowser } from '../support/browser.ts';
import type { TestBrowser } from '../support/browser.ts';
import { startSlackReceiver, startSmtpReceiver, startWebhookReceiver, webhookSecret } from '../support/alert-receivers.ts';
import type { Receiver } from '../support/alert-receivers.ts';
import { getJson, tempDir, waitFor } from '../support/processes.ts';
import { connectAgent } from '../support/ws-agent.ts';

let c: RunningCollector;
let browser: TestBrowser;
let admin: string;
let receivers: Receiver[];
const base = (): string => `http://127.0.0.1:${c.port}`;
const TTFT = 'gen_ai.client.operation.time_to_first_chunk';

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

beforeAll(async () => {
  await ensureWebBuilt();
  const secret = webhookSecret();
  const [hook, slack, mail] = await Promise.all([startWebhookReceiver(secret), startSlackReceiver(), startSmtpReceiver('alerts', 'browser-smtp-pass')]);
  receivers = [hook, slack, mail];
  hook.failNext(...Array.from({ length: 500 }, () => ({ kind: 'transient' as const })));
  slack.failNext({ kind: 'reject' });
  const config = loadCollectorConfig({
    alerts: {
      evaluateEvery: '300ms', delivery: { backoffBase: '500ms', backoffCap: '2s' },
      channels: [
        { name: 'ops-hook', type: 'webhook', url: hook.url, secret },
        { name: 'ops-slack', type: 'slack', url: slack.url },
        { name: 'ops-mail', type: 'email', smtp: { host: '127.0.0.1', port: mail.port, requireTLS: true, user: 'alerts', pass: 'browser-smtp-pass', caFile: (mail as { caFile: string }).caFile }, from: 'sigmascope@example.com', to: ['oncall@example.com'] },
      ],
      rules: [{ name: 'gpu-hot', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, recover: 80, for: '1s', channels: ['ops-hook', 'ops-slack', 'ops-mail'] }],
    },
    slos: [{ provider: 'openai', model: 'gpt-4o-mini', metric: TTFT, usl: 1.2 }],
  }, 'test', { SIGMASCOPE_LOG_LEVEL: 'error' }, { data: tempDir('alerts-browser-'), listen: '127.0.0.1', port: 0 });
  c = await runCollector(config, silentLogger, findWebRoot());
  const a = c.tokens.create('oncall-admin', 'admin');
  if (!a.ok) throw new Error(a.reason);
  admin = a.token;
  // Two GPU hosts: one hot, both probing openai (TTFT from the llmperf capture, one probe a minute since midnight).
  const ttft = readFileSync(join(import.meta.dirname, '../fixtures/latency/llmperf-leaderboard__together_70b.csv'), 'utf8');
  const header = ttft.split('\n')[0]?.split(',') ?? [];
  const col = header.findIndex((h) => /ttft/i.test(h));
  const values = ttft.trim().split('\n').slice(1).map((l) => Number(l.split(',')[col])).filter((v) => Number.isFinite(v) && v > 0);
  const now = Date.now();
  const midnight = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  for (const [i, host] of ['gpu-01', 'gpu-02'].entries()) {
    const t = c.tokens.create(host, 'agent');
    if (!t.ok) throw new Error(t.reason);
    const ws = await connectAgent(`ws://127.0.0.1:${c.port}/ingest`, t.token);
    ws.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 'main', hostname: host, clock: now });
    const b = new BatchBuilder();
    for (let k = 0; k < values.length; k++) {
      const ts = Math.min(now - 1, midnight + k * Math.max(1, Math.floor((now - midnight) / values.length)));
      b.add(series(TTFT, { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.operation.name': 'chat' }), ts, (values[k] as number) * (i === 0 ? 1 : 1.6));
    }
    for (let t2 = now - 3_000; t2 <= now; t2 += 250) b.add(series('hw.gpu.temperature', { 'hw.id': 'GPU-0' }), t2, i === 0 ? 91 : 64);
    ws.send(encodeFrame(b.seal(1, now)));
    await ws.waitFor(2);
    await ws.close();
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await c?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

describe('Alerts view in chromium (real collector, real receivers)', () => {
  it('shows each channel’s delivery state; an admin silences and expires; capability beside the providers', async () => {
    await waitFor('the mail delivered, slack given up, the webhook retried', async () => {
      const { alerts } = await getJson<{ alerts: { deliveries: { channel: string; state: string; attempts: number }[] }[] }>(`${base()}/api/v1/alerts`, admin);
      const d = new Map(alerts[0]?.deliveries.map((x) => [x.channel, x]) ?? []);
      return d.get('ops-mail')?.state === 'delivered' && d.get('ops-slack')?.state === 'failed' && (d.get('ops-hook')?.attempts ?? 0) >= 2 ? true : undefined;
    });
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${base()}/login?token=${admin}`);
    await page.goto(`${base()}/#/alerts`);
    const row = page.locator('alerts-view tr[data-alert]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const text = (await row.first().innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('firing');
    expect(text).toContain('gpu-hot');
    expect(text).toContain('hw.gpu.temperature is 91 on gpu-01 (hw.id=GPU-0), above 85 for 1s');
    expect(text).toContain('ops-mail: firing delivered');
    expect(text).toMatch(/ops-hook: firing retrying \(\d+ attempts\)/);
    expect(text).toContain('ops-hook: HTTP 503: service_unavailable');
    expect(text).toContain('ops-slack: firing gave up');
    expect(text).toContain('ops-slack: gave up: HTTP 400: invalid_payload');
    await shoot(page, 'alerts-firing');

    await page.locator('alerts-view button', { hasText: 'Silence…' }).click();
    expect(await page.locator('alerts-view textarea').inputValue()).toBe('rule=gpu-hot, hw.id=GPU-0, agent=gpu-01, metric=hw.gpu.temperature');
    await page.locator('alerts-view input[name="comment"]').fill('swapping the fan');
    await page.locator('alerts-view button[type="submit"]').click();
    await page.locator('alerts-view tr[data-silence]').waitFor();
    await page.locator('alerts-view tr[data-alert]', { hasText: 'silenced (sil_' }).waitFor();
    const { silences } = await getJson<{ silences: { id: string; createdBy: string; comment: string; matchers: Record<string, string> }[] }>(`${base()}/api/v1/silences`, admin);
    expect(silences).toHaveLength(1);
    expect(silences[0]).toMatchObject({ createdBy: 'oncall-admin', comment: 'swapping the fan', matchers: { rule: 'gpu-hot', agent: 'gpu-01' } });
    await shoot(page, 'alerts-silenced');

    await page.locator('alerts-view tr[data-silence] button', { hasText: 'Expire' }).click();
    await page.locator('alerts-view tr[data-silence]', { hasText: 'ended' }).waitFor();
    const { entries } = await getJson<{ entries: { actor: string; action: string; target: string }[] }>(`${base()}/api/v1/audit?action=silence.*`, admin);
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([`oncall-admin silence.expire ${silences[0]?.id}`, `oncall-admin silence.create ${silences[0]?.id}`]);

    await page.goto(`${base()}/#/providers`);
    const cap = page.locator('capability-table tbody tr');
    await cap.first().waitFor();
    expect(await cap.count()).toBe(2);
    const capText = (await page.locator('capability-table section').innerText()).replace(/\s+/g, ' ');
    expect(capText).toContain('Capability against SLOs');
    expect(capText).toMatch(/openai gpt-4o-mini gpu-01 time_to_first_chunk ≤ 1\.20 s/);
    await shoot(page, 'providers-capability');
    await page.goto(`${base()}/api/v1/slo/report?day=today&format=html`);
    expect(await page.locator('h1').innerText()).toMatch(/^Capability report, \d{4}-\d{2}-\d{2} \(UTC\)$/);
    expect(await page.locator('tbody tr').count()).toBe(2);
    await shoot(page, 'capability-report');
    expect(errors).toEqual([]);
    await page.close();
  });
});
