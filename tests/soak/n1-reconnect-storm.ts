/**
 * N1 and N2: a thousand agents reconnect at once after a collector restart (protocol-level
 * agents: the agent's own batcher and uplink, tests/support/sim-fleet.ts). N1 restarts at once;
 * N2 keeps the collector down 60 s first, so each agent comes back with 60 s of backlog. Both:
 * every agent back within 60 s, spread by the backoff's jitter, every sample stored exactly
 * once, the collector's memory under 1 GiB throughout.
 */
import { expect } from 'vitest';
import { startCollector } from '../support/fleet.ts';
import type { CollectorHandle } from '../support/fleet.ts';
import { duplicateRows, expectBalanced } from '../support/oracle.ts';
import { getJson, sleep, stop, tempDir, waitFor } from '../support/processes.ts';
import { memoryOf, mib } from '../support/proc-stats.ts';
import { createFleetTokens, startSimFleet } from '../support/sim-fleet.ts';
import type { Scenario, SoakContext } from './scenario.ts';

const BACK_WITHIN_MS = 60_000;
const MEMORY_LIMIT = 1024 * 2 ** 20;

async function reconnectStorm(ctx: SoakContext, name: string, backlogMs: number): Promise<void> {
  const { figures, progress } = ctx;
  const count = ctx.length === 'full' ? 1_000 : 100;
  const dataDir = tempDir('sigmascope-collector-');
  const { agents, viewerToken } = createFleetTokens(dataDir, name.toLowerCase(), count);
  let collector: CollectorHandle = await startCollector({ dataDir, viewerToken });
  const fleet = startSimFleet({ url: `ws://127.0.0.1:${collector.port}/ingest`, agents, seriesPerTick: 10, intervalMs: 500 });
  let peakRss = 0;
  const watch = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memoryOf(collector.proc.child.pid as number).rss);
    } catch {
      // between a stop and the next start
    }
  }, 500);
  try {
    await waitFor(`${count} agents connected`, () => (fleet.connected() === count ? true : undefined), 120_000, 100);
    figures.agents = count;
    progress(`${count} agents connected; restarting the collector`);
    await sleep(3_000);
    await stop(collector.proc);
    if (backlogMs > 0) await sleep(backlogMs);
    figures.backlogFrames = fleet.bufferedFrames();
    collector = await startCollector({ dataDir, port: collector.port, viewerToken });
    const restarted = Date.now();
    await waitFor(`${count} agents back`, () => (fleet.connected() === count ? true : undefined), BACK_WITHIN_MS + 60_000, 50);
    const backMs = fleet.agents.map((a) => (a.uplink.status().connectedSince as number) - restarted).sort((x, y) => x - y);
    const at = (q: number): number => backMs[Math.min(backMs.length - 1, Math.floor(q * backMs.length))] as number;
    figures.backMs = { p10: at(0.1), p50: at(0.5), p90: at(0.9), max: backMs[backMs.length - 1] };
    // Jitter: the reconnects spread out; without it they would land together in one instant.
    const perBucket = new Map<number, number>();
    for (const ms of backMs) perBucket.set(Math.floor(ms / 100), (perBucket.get(Math.floor(ms / 100)) ?? 0) + 1);
    figures.mostReconnectsIn100ms = Math.max(...perBucket.values());
    expect(backMs[backMs.length - 1], 'last agent back after the restart (ms)').toBeLessThanOrEqual(BACK_WITHIN_MS);
    expect(figures.mostReconnectsIn100ms as number).toBeLessThan(count * 0.25);
    await waitFor('the backlog stored', () => (fleet.bufferedFrames() <= 2 * count ? true : undefined), BACK_WITHIN_MS + 60_000, 100);
    figures.drainedMs = Date.now() - restarted;
    await sleep(2_000);
    fleet.pause();
    await waitFor('every buffer empty', () => (fleet.bufferedFrames() === 0 ? true : undefined), 60_000, 100);
    figures.collectorPeakRssMiB = mib(Math.max(peakRss, memoryOf(collector.proc.child.pid as number).peakRss));
    expect(Math.max(peakRss, memoryOf(collector.proc.child.pid as number).peakRss)).toBeLessThan(MEMORY_LIMIT);

    const stored = new Map((await getJson<{ agents: { id: string; samples: number; quarantinedSamples: number; refusedSamples: number }[] }>(collector.url('/api/v1/agents'), viewerToken)).agents.map((a) => [a.id, a]));
    let produced = 0;
    let storedTotal = 0;
    let dropped = 0;
    for (const b of fleet.books()) {
      const row = stored.get(b.name);
      expectBalanced(b.name, { produced: b.produced, stored: row?.samples ?? 0, quarantined: row?.quarantinedSamples ?? 0, refused: row?.refusedSamples ?? 0, dropped: b.dropped, buffered: b.buffered });
      produced += b.produced;
      storedTotal += row?.samples ?? 0;
      dropped += b.dropped;
    }
    const duplicates = duplicateRows(collector);
    Object.assign(figures, { produced, stored: storedTotal, dropped, duplicates });
    expect(dropped).toBe(0);
    expect(duplicates).toBe(0);
  } finally {
    clearInterval(watch);
    await fleet.stop();
    await stop(collector.proc);
  }
}

export const n1: Scenario = {
  name: 'N1',
  title: '1,000 agents reconnect at once after a collector restart: all back within 60 s, jittered',
  minutes: { full: 0, short: 0 },
  run: (ctx) => reconnectStorm(ctx, 'N1', 0),
};

export const n2: Scenario = {
  name: 'N2',
  title: '1,000 agents reconnect with 60 s of backlog each: stored exactly once, collector under 1 GiB',
  minutes: { full: 1, short: 0.17 },
  run: (ctx) => reconnectStorm(ctx, 'N2', ctx.minutes * 60_000),
};
