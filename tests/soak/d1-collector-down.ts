/**
 * D1: the collector is down for 10 minutes while an agent samples at 2 Hz with 8 stand-in GPUs.
 * After the restart every sample is stored exactly once, and the backlog drains within 60 s
 * while live sampling goes on (no tick skipped meanwhile).
 */
import { expect } from 'vitest';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import { duplicateRows, expectConservation } from '../support/oracle.ts';
import { kill9, sleep, stop, waitFor } from '../support/processes.ts';
import { memoryOf, mib } from '../support/proc-stats.ts';
import type { Scenario } from './scenario.ts';

const DRAIN_LIMIT_MS = 60_000;

export const d1: Scenario = {
  name: 'D1',
  title: 'collector down while an agent with 8 GPUs samples at 2 Hz; backlog drained within 60 s',
  minutes: { full: 10, short: 0.4 },
  async run({ minutes, figures, progress }) {
    let collector = await startCollector();
    const token = createAgentToken(collector, 'd1-agent');
    const agent = await startAgent({ collectorPort: collector.port, token, name: 'd1-agent', gpus: 8 });
    await waitFor('the first acknowledged samples', async () => ((await agent.status()).samples.acked > 0 ? true : undefined));

    await kill9(collector.proc);
    progress(`collector killed; down for ${minutes} min`);
    await sleep(minutes * 60_000);
    const before = await agent.status();
    figures.outageSeconds = Math.round(minutes * 60);
    figures.backlogFrames = before.buffer.frames;
    figures.backlogSamples = before.samples.buffered;
    figures.agentRssMiB = mib(memoryOf(agent.proc.child.pid as number).rss);
    expect(before.collector.state).not.toBe('connected');

    collector = await startCollector({ dataDir: collector.dataDir, port: collector.port, viewerToken: collector.viewerToken });
    const restarted = Date.now();
    progress(`collector back; ${before.buffer.frames} frames to drain`);
    const connected = await waitFor('the agent to reconnect', async () => ((await agent.status()).collector.state === 'connected' ? Date.now() : undefined), DRAIN_LIMIT_MS + 30_000, 100);
    figures.reconnectMs = connected - restarted;
    // Drained: what is left is the live edge, the frames of the last tick or two.
    const drained = await waitFor('the backlog to drain', async () => {
      const s = await agent.status();
      return s.buffer.frames <= 2 ? s : undefined;
    }, DRAIN_LIMIT_MS + 30_000, 100);
    const drainMs = Date.now() - restarted;
    figures.drainMs = drainMs;
    figures.drainSamplesPerSecondConnected = Math.round((drained.samples.acked - before.samples.acked) / Math.max(0.001, (Date.now() - connected) / 1000));
    // Live sampling went on meanwhile: every tick of the drain ran, on time.
    figures.ticksDuringDrain = drained.sampler.ticks - before.sampler.ticks;
    figures.lateTicksDuringDrain = drained.sampler.lateTicks - before.sampler.lateTicks;
    expect(drainMs, 'backlog drained after the restart (ms)').toBeLessThanOrEqual(DRAIN_LIMIT_MS);
    expect(figures.lateTicksDuringDrain).toBe(0);
    expect(drained.sampler.ticks - before.sampler.ticks).toBeGreaterThanOrEqual(Math.floor(drainMs / 500) - 2);

    await sleep(2_000);
    await stop(agent.proc);
    const books = await expectConservation(collector, 'd1-agent', token, agent.dataDir);
    Object.assign(figures, { produced: books.produced, stored: books.stored, dropped: books.dropped, duplicates: duplicateRows(collector) });
    expect(books.dropped).toBe(0);
    await stop(collector.proc);
  },
};
