/**
 * D3: the collector is killed (-9) every 20 s for 5 minutes while 20 agents stream to it, and
 * restarted at once on the same port and data. At the end: 0 lost, 0 duplicate rows, for every
 * agent.
 */
import { expect } from 'vitest';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { duplicateRows, expectConservation } from '../support/oracle.ts';
import { kill9, sleep, stop, waitFor } from '../support/processes.ts';
import type { Scenario } from './scenario.ts';

export const d3: Scenario = {
  name: 'D3',
  title: 'collector kill -9 every 20 s under 20 agents: 0 lost, 0 duplicates',
  minutes: { full: 5, short: 0.5 },
  async run({ length, minutes, figures, progress }) {
    const agentCount = length === 'full' ? 20 : 5;
    const everyMs = length === 'full' ? 20_000 : 5_000;
    let collector: CollectorHandle = await startCollector();
    const names = Array.from({ length: agentCount }, (_, i) => `d3-agent-${String(i).padStart(2, '0')}`);
    const tokens = names.map((n) => createAgentToken(collector, n));
    const agents: AgentHandle[] = [];
    // One stand-in GPU each: a GPU source and its nvidia-smi child per agent, as on a fleet.
    for (let i = 0; i < agentCount; i++) agents.push(await startAgent({ collectorPort: collector.port, token: tokens[i] as string, name: names[i] as string, gpus: 1 }));
    await waitFor('every agent acknowledged once', async () => ((await Promise.all(agents.map((a) => a.status()))).every((s) => s.samples.acked > 0) ? true : undefined), 60_000);
    figures.agents = agentCount;

    const restartMs: number[] = [];
    const end = Date.now() + minutes * 60_000;
    let kills = 0;
    while (Date.now() + everyMs <= end) {
      await sleep(everyMs);
      await kill9(collector.proc);
      kills++;
      const t = Date.now();
      collector = await startCollector({ dataDir: collector.dataDir, port: collector.port, viewerToken: collector.viewerToken });
      restartMs.push(Date.now() - t);
      if (kills % 3 === 0) progress(`${kills} kills`);
    }
    figures.kills = kills;
    figures.collectorRestartMsMax = Math.max(...restartMs);

    // Everyone back and caught up, then stopped and drained.
    const caughtUp = Date.now();
    await waitFor('every agent back and caught up', async () => {
      const all = await Promise.all(agents.map((a) => a.status()));
      return all.every((s) => s.collector.state === 'connected' && s.buffer.frames <= 2) ? true : undefined;
    }, 90_000, 250);
    figures.catchUpAfterLastKillMs = Date.now() - caughtUp;
    await Promise.all(agents.map((a) => stop(a.proc)));
    let produced = 0;
    let stored = 0;
    let dropped = 0;
    for (let i = 0; i < agentCount; i++) {
      const books = await expectConservation(collector, names[i] as string, tokens[i] as string, (agents[i] as AgentHandle).dataDir, { skipDuplicateAudit: true });
      produced += books.produced;
      stored += books.stored;
      dropped += books.dropped;
    }
    const duplicates = duplicateRows(collector);
    Object.assign(figures, { produced, stored, lost: produced - stored - dropped, dropped, duplicates });
    expect(dropped, 'samples dropped by the agents').toBe(0);
    expect(duplicates).toBe(0);
    await stop(collector.proc);
  },
};
