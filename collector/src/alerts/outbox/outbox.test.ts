import { describe, expect, it } from 'vitest';
import { silentLogger } from '@sigmascope/protocol/log';
import { AlertRows } from '../../store/rows/alert-rows.ts';
import { NotificationRows } from '../../store/rows/notification-rows.ts';
import { openDatabase } from '../../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../../tests/support/scratch-dirs.ts';
import type { Alert, Notification } from '../alert.ts';
import { MemoryChannel } from '../channels/memory-channel.ts';
import type { SendOutcome } from '../channels/channel.ts';
import { Outbox } from './outbox.ts';
import { retryDelayMs } from './backoff.ts';

const freshDir = scratchDirs('outbox-');
const T0 = 1_700_000_000_000;

function setup(delivery = { timeoutMs: 1_000, backoffBaseMs: 1_000, backoffCapMs: 60_000, giveUpAfterMs: 3_600_000 }) {
  let now = T0;
  const { db } = openDatabase(freshDir());
  const alerts = new AlertRows(db);
  const rows = new NotificationRows(db);
  const ch = new MemoryChannel('hook');
  const outbox = new Outbox({ rows, channels: new Map([['hook', ch]]), delivery, log: silentLogger, clock: () => now, random: () => 0.5 });
  const alert: Alert = { id: 'al_1', rule: 'r', groupKey: 'r\u0000k', labels: {}, summary: 's', state: 'firing', startsAt: T0, endsAt: null, members: ['k'], incident: null, notified: true, lastNotifiedAt: T0, acknowledged: null };
  alerts.insert(alert);
  const note = (id: string, kind: Notification['kind']): Notification => ({ id, kind, createdAt: now, alert: { id: 'al_1', rule: 'r', state: kind === 'resolved' ? 'resolved' : 'firing', startsAt: T0, endsAt: null, summary: 's', labels: {}, incident: null } });
  return { rows, ch, outbox, note, at: (ms: number) => { now = T0 + ms; }, delivery: (id: string) => rows.forAlert('al_1').find((d) => d.id === id) };
}

describe('outbox', () => {
  it('retries with backoff under the same id, honours Retry-After, and sends a resolve only after its firing', async () => {
    const t = setup();
    t.rows.enqueue(t.note('msg_a', 'firing'), 'hook');
    t.rows.enqueue(t.note('msg_b', 'resolved'), 'hook');
    t.ch.script.push({ ok: false, retry: true, afterMs: null, status: 503, error: 'HTTP 503' }, { ok: false, retry: true, afterMs: 7_000, status: 429, error: 'HTTP 429' });
    await t.outbox.tick();
    expect(t.ch.attempts.map((n) => n.id)).toEqual(['msg_a']);
    // attempt 1 failed: 1 s base, equal jitter at random 0.5 → 750 ms
    expect(t.delivery('msg_a')).toMatchObject({ state: 'pending', attempts: 1, nextAt: T0 + 750, lastStatus: 503 });
    t.at(700);
    await t.outbox.tick();
    expect(t.ch.attempts).toHaveLength(1);
    t.at(750);
    await t.outbox.tick();
    expect(t.delivery('msg_a')).toMatchObject({ attempts: 2, nextAt: T0 + 7_750, lastError: 'HTTP 429' });
    t.at(7_750);
    await t.outbox.tick();
    expect(t.delivery('msg_a')).toMatchObject({ state: 'delivered', attempts: 3 });
    await t.outbox.tick();
    expect(t.ch.attempts.map((n) => n.id)).toEqual(['msg_a', 'msg_a', 'msg_a', 'msg_b']);
    expect(t.delivery('msg_b')?.state).toBe('delivered');
  });

  it('gives up on a permanent refusal and on age, and shows why', async () => {
    const t = setup({ timeoutMs: 1_000, backoffBaseMs: 1_000, backoffCapMs: 1_000, giveUpAfterMs: 5_000 });
    t.rows.enqueue(t.note('msg_a', 'firing'), 'hook');
    t.ch.script.push({ ok: false, retry: false, status: 400, error: 'HTTP 400: invalid_payload' });
    await t.outbox.tick();
    expect(t.delivery('msg_a')).toMatchObject({ state: 'failed', lastError: 'gave up: HTTP 400: invalid_payload', lastStatus: 400, nextAt: null });
    t.rows.enqueue(t.note('msg_c', 'repeat'), 'hook');
    for (let i = 0; i < 10; i++) t.ch.script.push({ ok: false, retry: true, afterMs: null, status: null, error: 'no answer: ECONNREFUSED' });
    for (let ms = 0; ms <= 6_000; ms += 1_000) {
      t.at(ms);
      await t.outbox.tick();
    }
    expect(t.delivery('msg_c')?.state).toBe('failed');
    expect(t.delivery('msg_c')?.lastError).toMatch(/^gave up after \d+ attempts over 5s: no answer: ECONNREFUSED$/);
  });

  it('stop() abandons an attempt a receiver never answers; the notification stays queued for the next start', async () => {
    const t = setup();
    t.rows.enqueue(t.note('msg_hang', 'firing'), 'hook');
    let started = false;
    // A receiver that never answers: the attempt ends only when its signal aborts.
    const silent = { name: 'hook', type: 'test', close: async () => {}, send: (_n: Notification, signal: AbortSignal) => new Promise<SendOutcome>((resolve) => {
      started = true;
      signal.addEventListener('abort', () => resolve({ ok: false, retry: true, afterMs: null, status: null, error: 'no answer: stopped' }));
    }) };
    const outbox = new Outbox({ rows: t.rows, channels: new Map([['hook', silent]]), delivery: { timeoutMs: 60_000, backoffBaseMs: 1_000, backoffCapMs: 1_000, giveUpAfterMs: 3_600_000 }, log: silentLogger, clock: () => T0 });
    void outbox.tick();
    while (!started) await new Promise((r) => setTimeout(r, 5));
    const at = performance.now();
    await outbox.stop();
    expect(performance.now() - at).toBeLessThan(1_000);
    expect(t.delivery('msg_hang')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'no answer: stopped' });
  });

  it('backoff doubles to its cap with equal jitter', () => {
    expect([1, 2, 3, 4, 10].map((a) => retryDelayMs(a, 1_000, 5_000, null, () => 0))).toEqual([500, 1_000, 2_000, 2_500, 2_500]);
    expect([1, 2, 3].map((a) => retryDelayMs(a, 1_000, 5_000, null, () => 1))).toEqual([1_000, 2_000, 4_000]);
    expect(retryDelayMs(1, 1_000, 5_000, 30_000, () => 0.5)).toBe(30_000);
  });
});
