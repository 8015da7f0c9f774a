/**
 * N3: the link between an agent and the collector is cut at random every 10–60 s for 30 minutes
 * (a fault proxy terminates both sides of the WebSocket). The oracle holds at the end, and both
 * processes hold no more file descriptors than before the first cut.
 */
import { expect } from 'vitest';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { duplicateRows, expectConservation } from '../support/oracle.ts';
import { sleep, stop, waitFor } from '../support/processes.ts';
import { fdsOf } from '../support/proc-stats.ts';
import type { FdReading } from '../support/proc-stats.ts';
import type { Scenario } from './scenario.ts';

/** Longer than the status server's keep-alive (5 s): the harness's own HTTP connections have closed. */
const QUIET_MS = 6_000;

/** File descriptors of `pid` once the harness has left it alone for a while, and at most `ceiling` if it gets there within 30 s. */
async function quietFds(pid: number, ceiling = Number.POSITIVE_INFINITY): Promise<FdReading> {
  await sleep(QUIET_MS);
  let r = fdsOf(pid);
  for (let i = 0; i < 30 && r.total > ceiling; i++) {
    await sleep(1_000);
    r = fdsOf(pid);
  }
  return r;
}

export const n3: Scenario = {
  name: 'N3',
  title: 'link cut at random every 10–60 s through a fault proxy: oracle exact, fds back to baseline',
  minutes: { full: 30, short: 0.5 },
  async run({ length, minutes, figures, progress }) {
    const [lo, hi] = length === 'full' ? [10_000, 60_000] : [2_000, 6_000];
    let seed = 16;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const collector = await startCollector();
    const token = createAgentToken(collector, 'n3-agent');
    const proxy = await startFaultProxy(`ws://127.0.0.1:${collector.port}/ingest`, { dropAckRatio: 0, duplicateBatchRatio: 0 });
    const agent = await startAgent({ collectorPort: proxy.port, token, name: 'n3-agent', gpus: 2 });
    const agentPid = agent.proc.child.pid as number;
    const collectorPid = collector.proc.child.pid as number;
    await waitFor('the first acknowledged samples', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));
    const base = { agent: await quietFds(agentPid), collector: await quietFds(collectorPid) };
    figures.fdsBaseline = { agent: base.agent.total, collector: base.collector.total };

    const peak = { agent: base.agent.total, collector: base.collector.total };
    const end = Date.now() + minutes * 60_000;
    const gaps: number[] = [];
    for (;;) {
      const gap = Math.round(lo + random() * (hi - lo));
      if (Date.now() + gap > end) break;
      await sleep(gap);
      proxy.cutAll();
      gaps.push(gap);
      peak.agent = Math.max(peak.agent, fdsOf(agentPid).total);
      peak.collector = Math.max(peak.collector, fdsOf(collectorPid).total);
      if (gaps.length % 10 === 0) progress(`${gaps.length} cuts`);
    }
    figures.cuts = proxy.counts.cuts;
    figures.gapSeconds = { min: Math.min(...gaps) / 1000, max: Math.max(...gaps) / 1000 };
    await waitFor('the agent back and caught up', async () => {
      const s = await agent.status();
      return s.collector.state === 'connected' && s.buffer.frames <= 2 ? true : undefined;
    }, 90_000, 250);
    figures.linksOpened = proxy.counts.linksOpened;
    expect(proxy.counts.linksOpened, 'a new link after every cut').toBeGreaterThanOrEqual(gaps.length + 1);
    const after = { agent: await quietFds(agentPid, base.agent.total), collector: await quietFds(collectorPid, base.collector.total) };
    figures.fdsPeak = peak;
    figures.fdsAfter = { agent: after.agent, collector: after.collector };
    expect(after.agent.total, `agent fds ${JSON.stringify(after.agent)} vs baseline ${JSON.stringify(base.agent)}`).toBeLessThanOrEqual(base.agent.total);
    expect(after.collector.total, `collector fds ${JSON.stringify(after.collector)} vs baseline ${JSON.stringify(base.collector)}`).toBeLessThanOrEqual(base.collector.total);

    await stop(agent.proc);
    await proxy.close();
    const books = await expectConservation(collector, 'n3-agent', token, agent.dataDir);
    Object.assign(figures, { produced: books.produced, stored: books.stored, dropped: books.dropped, duplicates: duplicateRows(collector) });
    expect(books.dropped).toBe(0);
    await stop(collector.proc);
  },
};
