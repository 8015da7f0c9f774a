/**
 * B3: the collector accepts the agent and never acknowledges, for 30 minutes. The agent keeps
 * everything on disk and its memory stays flat (RSS within +20 MiB of the reading after the
 * warm-up). The figures answer whether LMDB's map counts in RSS: they give RSS, anonymous memory
 * and the resident pages of the buffer.mdb mapping separately. Afterwards a real collector takes
 * the port and everything is delivered exactly once.
 */
import { expect } from 'vitest';
import { startBlackholeCollector } from '../support/blackhole-collector.ts';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import { duplicateRows, expectConservation } from '../support/oracle.ts';
import { sleep, stop, tempDir, waitFor } from '../support/processes.ts';
import { mappedFileRss, memoryOf, mib, slope } from '../support/proc-stats.ts';
import type { Scenario } from './scenario.ts';

const FLAT_LIMIT = 20 * 2 ** 20;

interface Reading { at: number; rss: number; anonymous: number; lmdb: number; bufferBytes: number; frames: number }

export const b3: Scenario = {
  name: 'B3',
  title: 'collector accepts and never acks: agent memory within +20 MiB, data on disk',
  minutes: { full: 30, short: 0.5 },
  async run({ length, minutes, figures, progress }) {
    const warmupMs = length === 'full' ? 120_000 : 10_000;
    const everyMs = length === 'full' ? 30_000 : 5_000;
    const collectorData = tempDir('sigmascope-collector-');
    const token = createAgentToken({ dataDir: collectorData }, 'b3-agent');
    const blackhole = await startBlackholeCollector();
    const agent = await startAgent({ collectorPort: blackhole.port, token, name: 'b3-agent', gpus: 8 });
    const pid = agent.proc.child.pid as number;
    const read = async (): Promise<Reading> => {
      const s = await agent.status();
      const m = memoryOf(pid);
      return { at: Date.now(), rss: m.rss, anonymous: m.anonymous, lmdb: mappedFileRss(pid, 'buffer.mdb'), bufferBytes: s.buffer.bytes, frames: s.buffer.frames };
    };
    await waitFor('the welcome from the black hole', async () => ((await agent.status()).collector.state === 'connected' ? true : undefined));
    await sleep(warmupMs);
    const base = await read();
    const readings: Reading[] = [base];
    const end = base.at + minutes * 60_000;
    while (Date.now() + everyMs <= end) {
      await sleep(everyMs);
      readings.push(await read());
      if (readings.length % 10 === 0) progress(`rss ${mib(readings[readings.length - 1]?.rss ?? 0)} MiB`);
    }
    const last = await read();
    readings.push(last);
    const status = await agent.status();
    const late = readings.filter((r) => r.at >= base.at + (last.at - base.at) / 2);
    const hours = (r: Reading): number => (r.at - base.at) / 3_600_000;
    figures.memoryMiB = {
      baseline: { rss: mib(base.rss), anonymous: mib(base.anonymous), lmdbMapped: mib(base.lmdb) },
      final: { rss: mib(last.rss), anonymous: mib(last.anonymous), lmdbMapped: mib(last.lmdb) },
      growth: { rss: mib(last.rss - base.rss), anonymous: mib(last.anonymous - base.anonymous), lmdbMapped: mib(last.lmdb - base.lmdb) },
      rssSlopeSecondHalfMiBPerHour: Math.round(slope(late.map(hours), late.map((r) => r.rss / 2 ** 20)) * 10) / 10,
    };
    // LMDB's pages are file-backed: resident pages of its map count in RSS but are not anonymous.
    figures.lmdbMapCountsInRss = last.lmdb > 0;
    figures.buffer = { frames: last.frames, MiB: mib(last.bufferBytes), produced: status.samples.produced, acked: status.samples.acked, buffered: status.samples.buffered };
    figures.framesSeenByTheBlackhole = blackhole.counts.frames;
    expect(last.rss - base.rss, `agent RSS grew ${mib(last.rss - base.rss)} MiB`).toBeLessThanOrEqual(FLAT_LIMIT);
    // Everything sampled is on disk, nothing acknowledged or dropped.
    expect(status.samples.acked).toBe(0);
    expect(status.samples.buffered).toBe(status.samples.produced);
    expect(blackhole.counts.frames).toBeGreaterThan(1);

    await blackhole.close();
    const collector = await startCollector({ dataDir: collectorData, port: blackhole.port });
    await waitFor('the backlog delivered', async () => ((await agent.status()).buffer.frames <= 2 ? true : undefined), 120_000, 250);
    await stop(agent.proc);
    const books = await expectConservation(collector, 'b3-agent', token, agent.dataDir);
    Object.assign(figures, { produced: books.produced, stored: books.stored, dropped: books.dropped, duplicates: duplicateRows(collector) });
    expect(books.dropped).toBe(0);
    await stop(collector.proc);
  },
};
