/**
 * "Is it them or us?" end to end, in real time: a real collector process, twelve virtual agents
 * speaking the real protocol over loopback (tests/support/fleet-sim), ten minutes of history,
 * then three faults of different kinds at once on disjoint parts of the fleet (a provider
 * slowdown, one host's GPUs saturated, one host's network path delayed) while the other hosts
 * stay quiet. Each fault must become exactly one incident with the right cause and scope,
 * opened within 90 s of its onset; nothing may open before the faults or about a quiet host.
 * The long version of this, over many seeded scenarios, is bench/incident-accuracy.mjs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Incident } from '../protocol/src/incident.ts';
import { createAgentToken, startCollector } from './support/fleet.ts';
import { FleetSim } from './support/fleet-sim/fleet-sim.ts';
import { simFleet } from './support/fleet-sim/fleet-model.ts';
import type { Fault } from './support/fleet-sim/faults.ts';
import { scoreScenario } from './support/fleet-sim/scenario-score.ts';
import { getJson, killAll, runCli, sleep, stop, waitFor } from './support/processes.ts';

let sim: FleetSim | null = null;
afterAll(async () => {
  await sim?.stop();
  killAll();
});

describe('incidents across a simulated fleet', () => {
  it('opens one incident per fault with its cause and scope, within 90 s, and none in quiet periods', async () => {
    const c = await startCollector();
    const admin = runCli(['token', 'create', 'oncall', '--role', 'admin', '--data', c.dataDir]).stdout.trim();
    const hosts = simFleet(13);
    const tokens = new Map(hosts.map((h) => [h.id, createAgentToken(c, h.id)]));
    const faults: Fault[] = [];
    sim = await FleetSim.start({ url: `ws://127.0.0.1:${c.port}/ingest`, tokens, hosts, faults: () => faults, historyMs: 10 * 60_000 });

    // gcp.gemini is probed by gpu-01, -03, …, -11; gpu-02 and gpu-04 do not probe it.
    const t0 = Date.now() + 15_000;
    const lasting = 100_000;
    faults.push(
      { kind: 'provider', provider: 'gcp.gemini', model: null, factor: 1.8, onset: t0, end: t0 + lasting },
      { kind: 'host', agent: 'gpu-02', saturate: 'gpu', factor: 2, onset: t0 + 4_000, end: t0 + 4_000 + lasting },
      { kind: 'network', agent: 'gpu-04', delayMs: 60, onset: t0 + 7_000, end: t0 + 7_000 + lasting },
    );
    const incidents = async (): Promise<Incident[]> => (await getJson<{ incidents: Incident[] }>(c.url('/api/v1/incidents?state=all'), c.viewerToken)).incidents;

    // Quiet until the onsets: the history and the first live seconds open nothing.
    await sleep(Math.max(0, t0 - Date.now()));
    expect(await incidents()).toEqual([]);

    await waitFor('three incidents', async () => ((await incidents()).length >= 3 ? true : undefined), 120_000, 1_000);
    await sleep(Math.max(0, t0 + 7_000 + lasting + 10_000 - Date.now()));
    const all = await incidents();
    const score = scoreScenario(faults, all);
    for (const f of score.faults) {
      expect(f.problems, `${f.fault.kind}: ${f.incidents.map((i) => i.summary).join(' | ')}`).toEqual([]);
      expect(f.openedAfterMs).toBeLessThanOrEqual(90_000);
    }
    expect(score.falseIncidents.map((i) => i.summary)).toEqual([]);
    const quietHosts = new Set(all.flatMap((i) => i.scope.agents));
    for (const quiet of ['gpu-06', 'gpu-08', 'gpu-10', 'gpu-12']) expect(quietHosts.has(quiet)).toBe(false);

    // One incident in full, with its evidence; a viewer may not acknowledge it, an admin may, with a note.
    const provider = all.find((i) => i.cause === 'provider') as Incident;
    const one = await getJson<Incident>(c.url(`/api/v1/incidents/${provider.id}`), c.viewerToken);
    expect(one.scope.provider).toBe('gcp.gemini');
    const ttft = one.evidence.filter((e) => e.name === 'gen_ai.client.operation.time_to_first_chunk');
    expect(ttft.length).toBeGreaterThanOrEqual(3);
    for (const e of ttft) expect(e.shift).toBeGreaterThan(1.3);
    const post = (token: string, body: unknown): Promise<Response> => fetch(c.url(`/api/v1/incidents/${provider.id}`), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post(c.viewerToken, { state: 'acknowledged' })).status).toBe(403);
    const acked = (await (await post(admin, { state: 'acknowledged', note: 'provider status page confirms' })).json()) as Incident;
    expect(acked).toMatchObject({ id: provider.id, state: 'acknowledged', note: 'provider status page confirms' });
    expect((await post(admin, { state: 'paused' })).status).toBe(400);

    await sim.stop();
    sim = null;
    await stop(c.proc);
  }, 300_000);
});
