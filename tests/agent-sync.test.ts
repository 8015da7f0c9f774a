/**
 * The collector talks back (protocol 2, sync frames), between real agent and collector processes
 * over real sockets, the agent behind a TCP relay that can take it off the network: a
 * violation acknowledged on the collector shows acknowledged on the agent's /api/status within
 * seconds; a re-baseline on the collector starts a new baseline in the agent's own watch; one
 * resolved and one re-baselined while the agent is offline, with the collector restarted
 * meanwhile, reach it once it is back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createAgentToken, startAgent, startCollector } from './support/fleet.ts';
import { getJson, killAll, runCli, stop, waitFor } from './support/processes.ts';
import { SHIFT_ENV, shiftConfigFile } from './support/spc-shift.ts';
import { startTcpRelay } from './support/tcp-relay.ts';

afterAll(() => killAll());

interface Violation { id: number; agent: string; name: string; labels: Record<string, string>; rule: string; ts: number; state: string }
interface AgentJson {
  collector: { state: string; protocol: number | null; connectedSince: number | null };
  violations: { key: string; rule: string; ts: number; state: string; syncedAt: number | null }[];
  spc: { series: { key: string; phase: string; baselinedAt: number; baselinePoints: number }[] };
}

const KEY = (v: Violation): string => `${v.name}{${Object.keys(v.labels).sort().map((k) => `${k}=${JSON.stringify(v.labels[k])}`).join(',')}}`;

describe('violation states and re-baselines reach the agent', () => {
  it('at once while connected, and after being offline across a collector restart', async () => {
    const collector = await startCollector();
    const admin = runCli(['token', 'create', 'ops', '--role', 'admin', '--data', collector.dataDir]).stdout.trim();
    const relay = await startTcpRelay(collector.port);
    const config = shiftConfigFile();
    const agent = await startAgent({ collectorPort: relay.port, token: createAgentToken(collector, 'sync-box'), name: 'sync-box', gpus: 2, extraArgs: ['--config', config], env: SHIFT_ENV });
    const status = (): Promise<AgentJson> => getJson<AgentJson>(`http://127.0.0.1:${agent.statusPort}/api/status`);
    const post = (path: string, body: unknown): Promise<Response> => fetch(collector.url(path), { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const onAgent = async (v: Violation): Promise<AgentJson['violations'][number] | undefined> => (await status()).violations.find((x) => x.key === KEY(v) && x.rule === v.rule && x.ts === v.ts);
    const stored = async (): Promise<Violation[]> => (await getJson<{ violations: Violation[] }>(collector.url('/api/v1/violations'), collector.viewerToken)).violations;

    const [first, second] = await waitFor('two violations stored from the shift', async () => {
      const v = (await stored()).filter((x) => x.name === 'hw.gpu.temperature');
      return v.length >= 2 ? v : undefined;
    }, 90_000, 500);
    if (first === undefined || second === undefined) throw new Error('unreachable');
    expect((await status()).collector.protocol).toBe(2);
    expect((await onAgent(first))?.state).toBe('open');

    // Connected: acknowledged on the collector → acknowledged on the agent within seconds.
    expect((await post(`/api/v1/violations/${first.id}`, { state: 'acknowledged' })).status).toBe(200);
    await waitFor('the agent to show the acknowledgement', async () => ((await onAgent(first))?.state === 'acknowledged' ? true : undefined), 5_000, 100);

    // Connected: a re-baseline on the collector restarts the agent's watch of that series.
    const watched = await waitFor('a monitored series on the agent', async () => (await status()).spc.series.find((s) => s.key === KEY(first) && s.phase === 'monitoring'), 30_000, 250);
    const rebased = await post('/api/v1/spc/baselines', { agent: 'sync-box', series: watched.key });
    expect(rebased.status).toBe(200);
    const at = ((await rebased.json()) as { at: number }).at;
    const after = await waitFor('the agent watch to start a new baseline', async () => {
      const s = (await status()).spc.series.find((x) => x.key === watched.key);
      return s !== undefined && s.baselinedAt >= at ? s : undefined;
    }, 5_000, 100);
    expect(after.baselinedAt).toBeGreaterThan(watched.baselinedAt);

    // Offline: the agent cannot reach the collector while a violation is resolved and another
    // series is re-baselined; then the collector restarts; then the agent comes back.
    relay.cutOff();
    await waitFor('the agent to lose the collector', async () => ((await status()).collector.state !== 'connected' ? true : undefined), 30_000, 100);
    expect((await post(`/api/v1/violations/${second.id}`, { state: 'resolved' })).status).toBe(200);
    const other = (await status()).spc.series.find((s) => s.key !== watched.key);
    if (other === undefined) throw new Error('the second GPU\'s temperature is not watched');
    const otherAt = ((await (await post('/api/v1/spc/baselines', { agent: 'sync-box', series: other.key })).json()) as { at: number }).at;
    await stop(collector.proc);
    const restarted = await startCollector({ dataDir: collector.dataDir, port: collector.port, viewerToken: collector.viewerToken });
    expect((await onAgent(second))?.state).toBe('open');
    relay.restore();
    await waitFor('the agent to show the resolution made while it was away', async () => ((await onAgent(second))?.state === 'resolved' ? true : undefined), 40_000, 200);
    const back = await status();
    expect(back.collector.state).toBe('connected');
    expect(back.violations.find((x) => x.key === KEY(first) && x.rule === first.rule && x.ts === first.ts)?.state).toBe('acknowledged');
    expect(other.baselinedAt).toBeLessThan(otherAt);
    expect(back.spc.series.find((s) => s.key === other.key)?.baselinedAt).toBeGreaterThanOrEqual(otherAt);
    // The first series' baseline is not restarted a second time by the snapshot after the reconnect.
    expect(back.spc.series.find((s) => s.key === watched.key)?.baselinedAt).toBe(after.baselinedAt);
    expect(agent.proc.output()).not.toContain('"level":"error"');

    await stop(agent.proc);
    await stop(restarted.proc);
    await relay.close();
  }, 180_000);
});
