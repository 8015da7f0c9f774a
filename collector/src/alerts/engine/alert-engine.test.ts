import { describe, expect, it } from 'vitest';
import type { Incident } from '@sigmascope/protocol/incident';
import { silentLogger } from '@sigmascope/protocol/log';
import { MemoryAuditSink } from '../../audit/audit-entry.ts';
import { ChunkedStore } from '../../store/chunked-store.ts';
import { openDatabase } from '../../store/schema/sqlite-db.ts';
import { scratchDirs } from '../../../../tests/support/scratch-dirs.ts';
import { Alerting } from '../alerting.ts';
import { loadAlertsConfig } from '../config/alerts-config.ts';
import { MemoryChannel } from '../channels/memory-channel.ts';
import { MemoryIncidentSource } from '../incidents/memory-incident-source.ts';

const freshDir = scratchDirs('alert-engine-');
const T0 = 1_700_000_000_000;

/** A real store and the alerting on it, with a hand-moved clock and memory channels. */
function setup(rules: unknown[], extra: Record<string, unknown> = {}, dir = freshDir()) {
  let now = T0;
  const { db } = openDatabase(dir);
  const store = new ChunkedStore(db, { clock: () => now });
  const incidents = new MemoryIncidentSource();
  const audit = new MemoryAuditSink();
  const hook = new MemoryChannel('hook');
  const mail = new MemoryChannel('mail');
  const config = loadAlertsConfig({ channels: [{ name: 'hook', type: 'slack', url: 'http://127.0.0.1:9/x' }, { name: 'mail', type: 'slack', url: 'http://127.0.0.1:9/y' }], rules, ...extra }, 'test', {});
  const connected = new Set<string>();
  const alerting = new Alerting({ config, db, store, connectedAgents: () => connected, incidents, audit, log: silentLogger, clock: () => now, channels: new Map([['hook', hook], ['mail', mail]]) });
  let seq = 0;
  const push = (agent: string, name: string, labels: Record<string, string>, points: [number, number][], events: Parameters<ChunkedStore['storeBatch']>[4] = []): void => {
    store.storeBatch(agent, 'main', ++seq, [{ name, labels, ts: Float64Array.from(points.map((p) => p[0])), values: Float64Array.from(points.map((p) => p[1])) }], events, now);
  };
  const at = (ms: number): void => { now = T0 + ms; };
  const pass = async () => {
    const r = alerting.engine.evaluate();
    await alerting.outbox.tick();
    return r;
  };
  return { db, store, alerting, incidents, audit, hook, mail, push, at, pass, connected, close: () => { store.close(); } };
}

const temp = (from: number, to: number, v: number): [number, number][] => Array.from({ length: (to - from) / 500 + 1 }, (_, i) => [T0 + from + i * 500, v]);
const gpuHot = { name: 'gpu-hot', on: 'threshold', metric: 'hw.gpu.temperature', above: 85, recover: 80, for: '2s', channels: ['hook', 'mail'] };

describe('alert engine: threshold with for and hysteresis', () => {
  it('fires once after `for`, holds above recover, resolves below it: one firing and one resolved per channel, audited', async () => {
    const t = setup([gpuHot]);
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, temp(0, 1_000, 90));
    t.at(1_000);
    expect((await t.pass()).fired).toBe(0); // 1 s above: not yet `for` 2 s
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, temp(1_500, 3_000, 90));
    t.at(3_000);
    expect(await t.pass()).toEqual({ fired: 1, resolved: 0, queued: 2 });
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, temp(3_500, 6_000, 82));
    for (const ms of [4_000, 5_000, 6_000]) {
      t.at(ms);
      expect((await t.pass()).resolved).toBe(0); // 82 is below 85 but not back to 80
    }
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, temp(6_500, 7_000, 79));
    t.at(7_000);
    expect(await t.pass()).toEqual({ fired: 0, resolved: 1, queued: 2 });
    t.at(8_000);
    expect(await t.pass()).toEqual({ fired: 0, resolved: 0, queued: 0 });
    for (const ch of [t.hook, t.mail]) expect(ch.delivered().map((n) => [n.kind, n.alert.state])).toEqual([['firing', 'firing'], ['resolved', 'resolved']]);
    expect(t.hook.delivered()[0]?.alert.summary).toBe('hw.gpu.temperature is 90 on gpu-01 (hw.id=GPU-0), above 85 for 2s');
    expect(t.hook.delivered()[0]?.alert.startsAt).toBe(T0);
    expect(t.audit.entries.map((e) => e.action)).toEqual(['alert.fire', 'alert.resolve']);
    const [alert] = t.alerting.list({ state: 'all', from: 0, to: T0 + 10_000, limit: 10 });
    expect(alert?.state).toBe('resolved');
    expect(alert?.endsAt).toBe(T0 + 7_000);
    expect(alert?.deliveries.map((d) => [d.channel, d.kind, d.state])).toEqual([['hook', 'firing', 'delivered'], ['mail', 'firing', 'delivered'], ['hook', 'resolved', 'delivered'], ['mail', 'resolved', 'delivered']]);
    t.close();
  });

  it('a restarted engine on the same store does not fire the same alert again', async () => {
    const dir = freshDir();
    const a = setup([gpuHot], {}, dir);
    a.push('gpu-01', 'hw.gpu.temperature', {}, temp(0, 3_000, 90));
    a.at(3_000);
    expect((await a.pass()).fired).toBe(1);
    a.close();
    const b = setup([gpuHot], {}, dir);
    b.at(3_500);
    expect(await b.pass()).toEqual({ fired: 0, resolved: 0, queued: 0 });
    expect(b.alerting.list({ state: 'firing', from: 0, to: T0 + 10_000, limit: 10 })).toHaveLength(1);
    b.close();
  });
});

describe('alert engine: repeat, acknowledge, silences, grouping', () => {
  it('repeats a firing alert every repeatInterval until acknowledged', async () => {
    const t = setup([{ ...gpuHot, for: '0s' }], { repeatInterval: '1m' });
    t.push('gpu-01', 'hw.gpu.temperature', {}, temp(0, 0, 90));
    await t.pass();
    t.push('gpu-01', 'hw.gpu.temperature', {}, temp(59_000, 61_000, 90));
    t.at(59_000);
    expect((await t.pass()).queued).toBe(0);
    t.at(61_000);
    expect((await t.pass()).queued).toBe(2);
    expect(t.hook.delivered().map((n) => n.kind)).toEqual(['firing', 'repeat']);
    const [alert] = t.alerting.list({ state: 'firing', from: 0, to: T0 + 200_000, limit: 1 });
    expect(t.alerting.acknowledge(alert?.id as string, 'ops', 'on it')?.acknowledged).toEqual({ by: 'ops', at: T0 + 61_000, note: 'on it' });
    t.push('gpu-01', 'hw.gpu.temperature', {}, temp(119_000, 125_000, 90));
    t.at(125_000);
    expect((await t.pass()).queued).toBe(0);
    expect(t.audit.entries.map((e) => `${e.actor} ${e.action}`)).toEqual(['system alert.fire', 'ops alert.acknowledge']);
    t.close();
  });

  it('a matching silence holds the notifications back; expiring it lets them go', async () => {
    const t = setup([{ ...gpuHot, for: '0s' }]);
    t.alerting.createSilence({ matchers: { rule: 'gpu-hot', agent: 'gpu-*' }, startsAt: T0, endsAt: T0 + 3_600_000, comment: 'maintenance' }, 'ops');
    t.push('gpu-01', 'hw.gpu.temperature', {}, temp(0, 1_000, 90));
    t.at(1_000);
    expect(await t.pass()).toEqual({ fired: 1, resolved: 0, queued: 0 });
    const [alert] = t.alerting.list({ state: 'firing', from: 0, to: T0 + 10_000, limit: 1 });
    expect(alert?.suppressed?.by).toBe('silence');
    const [silence] = t.alerting.listSilences('active', 10);
    expect(t.alerting.expireSilence(silence?.id as string, 'ops')).toMatchObject({ endsAt: T0 + 1_000 });
    t.push('gpu-01', 'hw.gpu.temperature', {}, temp(1_500, 2_000, 90));
    t.at(2_000);
    expect((await t.pass()).queued).toBe(2);
    expect(t.audit.entries.map((e) => e.action)).toEqual(['silence.create', 'alert.fire', 'silence.expire']);
    t.close();
  });

  it('groupBy makes one alert of several series; it resolves when the last clears', async () => {
    const t = setup([{ ...gpuHot, for: '0s', groupBy: ['agent'] }]);
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, temp(0, 1_000, 90));
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-1' }, temp(0, 1_000, 91));
    t.at(1_000);
    expect(await t.pass()).toEqual({ fired: 1, resolved: 0, queued: 2 });
    expect(t.hook.delivered()[0]?.alert.labels).toEqual({ agent: 'gpu-01' });
    expect(t.hook.delivered()[0]?.alert.summary).toMatch(/^2 at once: /);
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, temp(1_500, 2_000, 70));
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-1' }, temp(1_500, 2_000, 91));
    t.at(2_000);
    expect((await t.pass()).resolved).toBe(0);
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-1' }, temp(2_500, 3_000, 70));
    t.at(3_000);
    expect((await t.pass()).resolved).toBe(1);
    t.close();
  });
});

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'inc-1', state: 'open', startedAt: T0, openedAt: T0 + 30_000, resolvedAt: null, cause: 'provider', confidence: 0.9,
  scope: { provider: 'openai', model: null, agents: ['gpu-01', 'gpu-02'] }, summary: 'openai is slow at 2 of 2 vantage points', evidence: [], ...over,
});

describe('alert engine: incidents and inhibition', () => {
  it('an open provider incident fires its own alert and inhibits the per-agent probe alerts it explains', async () => {
    const t = setup([
      { name: 'provider-down', on: 'incident', match: { cause: 'provider' }, channels: ['hook'] },
      { name: 'probe-errors', on: 'probe_errors', window: '5m', above: 0.5, minProbes: 3, channels: ['hook'] },
    ]);
    const fail = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'error.type': 'timeout' };
    for (const agent of ['gpu-01', 'gpu-03']) t.push(agent, 'gen_ai.client.operation.duration', fail, [[T0 + 1_000, 30], [T0 + 2_000, 30], [T0 + 3_000, 30], [T0 + 4_000, 30]]);
    t.incidents.put(incident());
    t.at(5_000);
    expect(await t.pass()).toEqual({ fired: 3, resolved: 0, queued: 2 });
    // gpu-03 is not in the incident's scope: its alert goes out; gpu-01's is explained by the incident.
    expect(t.hook.delivered().map((n) => `${n.alert.rule} ${n.alert.labels.agent ?? ''}`).sort()).toEqual(['probe-errors gpu-03', 'provider-down ']);
    expect(t.hook.delivered().find((n) => n.alert.rule === 'provider-down')?.alert.incident?.id).toBe('inc-1');
    const views = t.alerting.list({ state: 'firing', from: 0, to: T0 + 10_000, limit: 10 });
    expect(views.find((v) => v.labels.agent === 'gpu-01')?.suppressed).toEqual({ by: 'incident', id: 'inc-1' });
    t.incidents.resolve('inc-1', T0 + 6_000);
    t.at(6_000);
    // The incident's alert resolves; gpu-01's probe alert, no longer explained, is sent now.
    expect(await t.pass()).toEqual({ fired: 0, resolved: 1, queued: 2 });
    expect(t.hook.delivered().slice(2).map((n) => `${n.kind} ${n.alert.rule} ${n.alert.labels.agent ?? ''}`).sort()).toEqual(['firing probe-errors gpu-01', 'resolved provider-down ']);
    t.close();
  });
});

describe('alert engine: spc, agent_offline, budget', () => {
  it('spc: an episode of open violations is one alert that resolves after `quiet`', async () => {
    const t = setup([{ name: 'spc', on: 'spc', quiet: '10s', match: { name: 'hw.gpu.*' }, channels: ['hook'] }]);
    const v = (ts: number) => ({ kind: 'spc' as const, ts: T0 + ts, name: 'hw.gpu.temperature', labels: { 'hw.id': 'GPU-0' }, rule: 'nelson1', value: 95, center: 70, sigma: 2 });
    t.push('gpu-01', 'hw.gpu.temperature', { 'hw.id': 'GPU-0' }, [[T0, 70]], [v(0), v(2_000), v(4_000)]);
    t.at(5_000);
    expect((await t.pass()).fired).toBe(1);
    expect(t.hook.delivered()[0]?.alert.summary).toBe('hw.gpu.temperature on gpu-01 is out of control: nelson1, 3 violations; last 95 against centre 70');
    t.at(13_000);
    expect((await t.pass()).resolved).toBe(0);
    t.at(15_000);
    expect((await t.pass()).resolved).toBe(1);
    t.close();
  });

  it('agent_offline: an agent disconnected and silent for `for`', async () => {
    const t = setup([{ name: 'offline', on: 'agent_offline', for: '2m', channels: ['hook'] }]);
    t.push('gpu-01', 'system.cpu.utilization', {}, [[T0, 0.5]]);
    t.connected.add('gpu-01');
    t.at(300_000);
    expect((await t.pass()).fired).toBe(0);
    t.connected.delete('gpu-01');
    expect((await t.pass()).fired).toBe(1);
    expect(t.hook.delivered()[0]?.alert.labels.agent).toBe('gpu-01');
    t.close();
  });

  it('budget: probe spend over the window above the limit, per `by`', async () => {
    const t = setup([{ name: 'spend', on: 'budget', limitUsd: 1, window: '1h', by: ['gen_ai.provider.name'], channels: ['hook'] }]);
    const labels = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' };
    t.push('gpu-01', 'sigmascope.probe.cost', labels, Array.from({ length: 30 }, (_, i): [number, number] => [T0 + i * 1_000, 0.03]));
    t.push('gpu-02', 'sigmascope.probe.cost', labels, Array.from({ length: 5 }, (_, i): [number, number] => [T0 + i * 1_000, 0.03]));
    t.push('gpu-02', 'sigmascope.probe.cost', { ...labels, 'gen_ai.provider.name': 'anthropic' }, [[T0, 0.5]]);
    t.at(40_000);
    expect((await t.pass()).fired).toBe(1);
    expect(t.hook.delivered()[0]?.alert.summary).toBe('probes spent $1.05 in the last 1h (gen_ai.provider.name=openai), over the budget of $1.00 (35 probes)');
    t.close();
  });
});
