/**
 * Agents whose wall clocks are wrong (RELIABILITY N5): real agents run under libfaketime, one 10
 * minutes ahead and one 10 minutes behind (monotonic clocks untouched, as on a host whose NTP is
 * off). The collector must flag the skew, keep the producer's timestamps (no re-stamping), and
 * store every sample exactly once. A third agent runs two days ahead: its samples are
 * acknowledged but quarantined (counted and kept apart), not written into the series.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createAgentToken, quarantinedFor, startAgent, startCollector } from './support/fleet.ts';
import type { CollectorHandle } from './support/fleet.ts';
import { expectConservation } from './support/oracle.ts';
import { getJson, killAll, sleep, stop, waitFor } from './support/processes.ts';

/** Debian's libfaketime (`apt-get install libfaketime`; .ci/run installs it). */
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const TEN_MINUTES = 600_000;

afterAll(() => killAll());

interface HealthJson { agents: { id: string; state: string; clockSkewMs: number }[] }
interface SeriesJson { series: { points: [number, number][] }[] }
interface QuarantineJson { samples: { agent: string; ts: number; receivedAt: number; name: string }[] }

async function newestCpuTs(c: CollectorHandle, agent: string): Promise<number> {
  const r = await getJson<SeriesJson>(c.url(`/api/v1/series?name=system.cpu.utilization&agent=${agent}&from=${Date.now() - 3_600_000}&to=${Date.now() + 3_600_000}`), c.viewerToken);
  return Math.max(...r.series.flatMap((s) => s.points.map((p) => p[0])));
}

describe('agents with a skewed clock', () => {
  it('are flagged with their skew, keep their own timestamps, and lose nothing', async () => {
    expect(existsSync(FAKETIME_LIB), `${FAKETIME_LIB} is missing: apt-get install -y libfaketime`).toBe(true);
    const collector = await startCollector();
    const shifted = (offset: string) => ({ LD_PRELOAD: FAKETIME_LIB, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1', FAKETIME_NO_CACHE: '1' });
    const aheadToken = createAgentToken(collector, 'ahead');
    const behindToken = createAgentToken(collector, 'behind');
    const ahead = await startAgent({ collectorPort: collector.port, token: aheadToken, name: 'ahead', env: shifted('+10m') });
    const behind = await startAgent({ collectorPort: collector.port, token: behindToken, name: 'behind', env: shifted('-10m') });
    const health = await waitFor('both agents in the health view', async () => {
      const h = await getJson<HealthJson>(collector.url('/api/v1/query/health'), collector.viewerToken);
      return h.agents.length === 2 && h.agents.every((a) => a.state !== 'disconnected') ? h : undefined;
    }, 15_000);
    const byId = new Map(health.agents.map((a) => [a.id, a]));
    expect(byId.get('ahead')?.state).toBe('skewed');
    expect(byId.get('behind')?.state).toBe('skewed');
    expect(Math.abs((byId.get('ahead')?.clockSkewMs ?? 0) - TEN_MINUTES)).toBeLessThan(5_000);
    expect(Math.abs((byId.get('behind')?.clockSkewMs ?? 0) + TEN_MINUTES)).toBeLessThan(5_000);

    await sleep(2_000);
    // The samples keep the time their agent gave them.
    expect(Math.abs((await newestCpuTs(collector, 'ahead')) - Date.now() - TEN_MINUTES)).toBeLessThan(5_000);
    expect(Math.abs((await newestCpuTs(collector, 'behind')) - Date.now() + TEN_MINUTES)).toBeLessThan(5_000);

    await stop(ahead.proc);
    await stop(behind.proc);
    await expectConservation(collector, 'ahead', aheadToken, ahead.dataDir);
    await expectConservation(collector, 'behind', behindToken, behind.dataDir);
    await stop(collector.proc);
  }, 60_000);

  it('quarantines the samples of an agent two days ahead: acknowledged, counted, kept apart, not in its series', async () => {
    const collector = await startCollector();
    const token = createAgentToken(collector, 'tomorrow');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'tomorrow', env: { LD_PRELOAD: FAKETIME_LIB, FAKETIME: '+2d', FAKETIME_DONT_FAKE_MONOTONIC: '1', FAKETIME_NO_CACHE: '1' } });
    const quarantined = await waitFor('quarantined samples', async () => {
      const q = await getJson<QuarantineJson>(collector.url('/api/v1/quarantine?agent=tomorrow&limit=50'), collector.viewerToken);
      return q.samples.length >= 50 ? q : undefined;
    }, 15_000);
    for (const s of quarantined.samples) {
      expect(s.agent).toBe('tomorrow');
      expect(Math.abs(s.ts - s.receivedAt - 2 * 86_400_000)).toBeLessThan(60_000);
    }
    const cpu = await getJson<SeriesJson>(collector.url(`/api/v1/series?name=system.cpu.utilization&agent=tomorrow&from=${Date.now() - 3_600_000}&to=${Date.now() + 3 * 86_400_000}`), collector.viewerToken);
    expect(cpu.series.flatMap((s) => s.points)).toEqual([]);
    await stop(agent.proc);
    const figures = await expectConservation(collector, 'tomorrow', token, agent.dataDir, { clockFarAhead: true });
    // Every timestamp of this agent is two days ahead, so nothing of it is in a series.
    expect(figures.stored).toBe(0);
    expect(figures.quarantined).toBeGreaterThan(0);
    const metrics = await (await fetch(collector.url('/metrics'))).text();
    expect(metrics).toContain(`sigmascope_collector_samples_quarantined_total ${figures.quarantined}`);
    // A restart replays the intake: the quarantined samples stay out of the series, the count stays.
    await stop(collector.proc);
    const again = await startCollector({ dataDir: collector.dataDir, viewerToken: collector.viewerToken });
    const after = await getJson<SeriesJson>(again.url(`/api/v1/series?name=system.cpu.utilization&agent=tomorrow&from=${Date.now() - 3_600_000}&to=${Date.now() + 3 * 86_400_000}`), again.viewerToken);
    expect(after.series.flatMap((s) => s.points)).toEqual([]);
    expect(await quarantinedFor(again, 'tomorrow')).toBe(figures.quarantined);
    await stop(again.proc);
  }, 60_000);
});
