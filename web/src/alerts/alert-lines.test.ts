import { describe, expect, it } from 'vitest';
import { channelStates, matchersText, parseMatchers, sortAlerts, suppressionText } from './alert-lines.ts';
import type { AlertView, Delivery } from '@sigmascope/protocol/alert-view';

const d = (over: Partial<Delivery>): Delivery => ({ id: 'msg', channel: 'hook', kind: 'firing', state: 'pending', attempts: 0, createdAt: 0, nextAt: 0, deliveredAt: null, lastError: null, lastStatus: null, ...over });
const alert = (over: Partial<AlertView>): AlertView => ({ id: 'al', rule: 'gpu-hot', state: 'firing', labels: { agent: 'gpu-01' }, summary: 's', startsAt: 0, endsAt: null, incident: null, acknowledged: null, suppressed: null, deliveries: [], ...over });

describe('alert lines', () => {
  it('shows each channel’s latest notification: delivered, retrying with its error, given up with its reason', () => {
    const a = alert({ deliveries: [
      d({ channel: 'slack', state: 'delivered', attempts: 1, deliveredAt: Date.UTC(2026, 0, 1) }),
      d({ channel: 'hook', state: 'delivered', attempts: 3 }),
      d({ channel: 'hook', kind: 'resolved', attempts: 2, lastError: 'HTTP 503: service_unavailable' }),
      d({ channel: 'mail', state: 'failed', attempts: 1, lastError: 'gave up: SMTP 550: mailbox unavailable' }),
    ] });
    expect(channelStates(a)).toEqual([
      { channel: 'hook', tone: 'warn', text: 'resolve retrying (2 attempts)', detail: 'HTTP 503: service_unavailable' },
      { channel: 'mail', tone: 'bad', text: 'firing gave up', detail: 'gave up: SMTP 550: mailbox unavailable' },
      { channel: 'slack', tone: 'ok', text: 'firing delivered', detail: '2026-01-01T00:00:00.000Z' },
    ]);
  });

  it('sorts firing first, newest first; says why a firing alert is quiet', () => {
    const list = sortAlerts([alert({ id: 'r', state: 'resolved', startsAt: 9 }), alert({ id: 'f1', startsAt: 1 }), alert({ id: 'f2', startsAt: 5 })]);
    expect(list.map((a) => a.id)).toEqual(['f2', 'f1', 'r']);
    expect(suppressionText(alert({ suppressed: { by: 'incident', id: 'inc-1' } }))).toBe('inhibited by incident inc-1');
    expect(suppressionText(alert({}))).toBeNull();
  });

  it('parses matcher text and refuses what is not label=value', () => {
    expect(parseMatchers('rule=gpu-hot, agent = gpu-*\nhw.id=GPU-0')).toEqual({ ok: true, matchers: { rule: 'gpu-hot', agent: 'gpu-*', 'hw.id': 'GPU-0' } });
    expect(parseMatchers('rule gpu-hot')).toEqual({ ok: false, error: '“rule gpu-hot” is not label=value' });
    expect(parseMatchers(' ')).toEqual({ ok: false, error: 'give at least one label=value' });
    expect(matchersText({ rule: 'gpu-hot', agent: 'gpu-01' })).toBe('rule=gpu-hot, agent=gpu-01');
  });
});
