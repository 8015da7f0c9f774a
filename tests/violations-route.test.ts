/**
 * Only violations are resolvable (issue 11, defect 7): on a real collector process, an admin's
 * POST /api/v1/violations/:id with the id of an agent's lifecycle event (its boot) or probe
 * failure is 404 and leaves the event as it was; a real SPC violation's state changes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BatchBuilder } from '../protocol/src/batch.ts';
import { encodeFrame } from '../protocol/src/codec.ts';
import { series } from '../protocol/src/series.ts';
import { createAgentToken, startCollector } from './support/fleet.ts';
import { getJson, killAll, runCli, stop } from './support/processes.ts';
import { connectAgent } from './support/ws-agent.ts';

afterAll(() => killAll());

interface EventsJson {
  events: { id: number; kind: string; state?: string }[];
}

describe('POST /api/v1/violations/:id', () => {
  it('changes violations only: a boot or probe event id is 404 and stays as it was', async () => {
    const collector = await startCollector();
    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
    const c = await connectAgent(`ws://127.0.0.1:${collector.port}/ingest`, createAgentToken(collector, 'ev-agent'));
    c.send({ t: 'hello', proto: 1, agentVersion: 'test', bootId: 'b', stream: 's', hostname: 'h', clock: Date.now() });
    await c.waitFor(1);
    const now = Date.now();
    const b = new BatchBuilder();
    b.add(series('system.cpu.utilization'), now, 0.9);
    b.addEvent({ kind: 'lifecycle', ts: now, what: 'boot', detail: 'agent test boot b' });
    b.addEvent({ kind: 'probe', ts: now, provider: 'openai', model: 'gpt-4o-mini', errorType: 'timeout' });
    b.addEvent({ kind: 'spc', ts: now, name: 'system.cpu.utilization', labels: {}, rule: 'nelson-1', value: 0.9, center: 0.2, sigma: 0.1 });
    c.send(encodeFrame(b.seal(1, now)));
    await c.waitFor(2);
    await c.close();

    const { events } = await getJson<EventsJson>(collector.url('/api/v1/events'), collector.viewerToken);
    const byKind = new Map(events.map((e) => [e.kind, e.id]));
    const post = (id: number | undefined): Promise<Response> =>
      fetch(collector.url(`/api/v1/violations/${id}`), { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'resolved' }) });
    expect((await post(byKind.get('lifecycle'))).status).toBe(404);
    expect((await post(byKind.get('probe'))).status).toBe(404);
    const resolved = await post(byKind.get('spc'));
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ state: 'resolved', rule: 'nelson-1' });

    const { violations } = await getJson<{ violations: { id: number; state: string }[] }>(collector.url('/api/v1/violations'), collector.viewerToken);
    expect(violations).toEqual([expect.objectContaining({ id: byKind.get('spc'), state: 'resolved' })]);
    await stop(collector.proc);
  });
});
