/**
 * L1: a compressed day. The collector and two agents (8 GPUs and 1) run on a data clock 20×
 * the system's (SIGMASCOPE_CLOCK_RATE, protocol/src/clock.ts: samples, ticks, the store's
 * windows, rollups and retention), so 24 h pass in 72 minutes, with on a schedule of the data's
 * time: a link flap every hour (fault proxy), collector restarts at 3 h (SIGTERM) and 6 h
 * (kill -9), agent kills at 4 h and 8 h, and queries of recent, stepped and whole-day ranges every
 * 5 s. At the end: no process exited by itself, no uncaught exception, unhandled rejection or
 * error-level log line, the oracle exact for both agents, raw points older than retention gone,
 * and over the second half of the day (one process each, long past the faults and with every
 * tier at its retention) RSS, file descriptors and the database size flat.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createAgentToken, startAgent, startCollector } from '../support/fleet.ts';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { duplicateRows, expectConservation } from '../support/oracle.ts';
import { kill9, sleep, stop, tempDir, waitFor } from '../support/processes.ts';
import { watchProcesses } from '../support/process-watch.ts';
import { dayShape, flatness, readDay, runQueries } from './l1-day-readings.ts';
import type { DayReading } from './l1-day-readings.ts';
import type { Scenario } from './scenario.ts';

const H = 3_600_000;
const M = 60_000;

export const l1: Scenario = {
  name: 'L1',
  title: 'a compressed 24 h (20× clock) with restarts, kills, link flaps, rollups, retention and queries',
  minutes: { full: 72, short: 1.5 },
  async run({ length, minutes, figures, progress }) {
    const shape = dayShape(length);
    const origin = Date.now();
    const clockEnv = { SIGMASCOPE_CLOCK_RATE: String(shape.rate), SIGMASCOPE_CLOCK_ORIGIN: String(origin) };
    const dataNow = (): number => origin + (Date.now() - origin) * shape.rate;
    const spanMs = minutes * M * shape.rate;
    figures.rate = shape.rate;
    figures.dataHours = Math.round((spanMs / H) * 10) / 10;
    figures.retention = shape.retention;

    const config = join(tempDir('sigmascope-config-'), 'collector.json');
    writeFileSync(config, JSON.stringify({ retention: shape.retention }));
    const watch = watchProcesses();
    const startL1Collector = (c?: CollectorHandle): Promise<CollectorHandle> =>
      startCollector({ env: clockEnv, extraArgs: ['--config', config], ...(c ? { dataDir: c.dataDir, port: c.port, viewerToken: c.viewerToken } : {}) });
    let collector = watch.add('collector', await startL1Collector());
    const proxy = await startFaultProxy(`ws://127.0.0.1:${collector.port}/ingest`, { dropAckRatio: 0, duplicateBatchRatio: 0 });
    const specs = [{ name: 'l1-big', gpus: 8 }, { name: 'l1-small', gpus: 1 }].map((s) => ({ ...s, token: createAgentToken(collector, s.name) }));
    const startL1Agent = (i: number, dataDir?: string): Promise<AgentHandle> => {
      const s = specs[i] as (typeof specs)[number];
      return startAgent({ collectorPort: proxy.port, token: s.token, name: s.name, gpus: s.gpus, env: clockEnv, ...(dataDir ? { dataDir } : {}) });
    };
    const agents = [watch.add('l1-big', await startL1Agent(0)), watch.add('l1-small', await startL1Agent(1))];

    // The schedule, in the data's time from the origin.
    const events: { at: number; what: string; run: () => Promise<void> }[] = [];
    for (let t = shape.flapEveryMs; t < spanMs; t += shape.flapEveryMs) events.push({ at: t, what: 'link flap', run: async () => proxy.cutAll() });
    const restartCollector = (hard: boolean) => async (): Promise<void> => {
      watch.release(collector);
      if (hard) await kill9(collector.proc);
      else await stop(collector.proc);
      collector = watch.add('collector', await startL1Collector(collector));
    };
    const killAgent = (i: number) => async (): Promise<void> => {
      const a = agents[i] as AgentHandle;
      watch.release(a);
      await kill9(a.proc);
      agents[i] = watch.add((specs[i] as (typeof specs)[number]).name, await startL1Agent(i, a.dataDir));
    };
    events.push({ at: shape.faultsAt[0], what: 'collector restart (SIGTERM)', run: restartCollector(false) });
    events.push({ at: shape.faultsAt[1], what: 'agent l1-big kill -9', run: killAgent(0) });
    events.push({ at: shape.faultsAt[2], what: 'collector kill -9', run: restartCollector(true) });
    events.push({ at: shape.faultsAt[3], what: 'agent l1-small kill -9', run: killAgent(1) });
    events.sort((a, b) => a.at - b.at);

    const readings: DayReading[] = [];
    const queries = { rounds: 0, failed: [] as string[] };
    let nextQuery = 0;
    let nextReading = 0;
    const done: string[] = [];
    while (Date.now() - origin < minutes * M) {
      watch.check();
      const t = dataNow() - origin;
      while (events.length > 0 && (events[0] as (typeof events)[number]).at <= t) {
        const e = events.shift() as (typeof events)[number];
        await e.run();
        done.push(e.what);
        if (e.what !== 'link flap') progress(`${(t / H).toFixed(1)} h: ${e.what}`);
      }
      if (Date.now() >= nextQuery) {
        nextQuery = Date.now() + 5_000;
        await runQueries(collector, dataNow(), origin, queries);
      }
      if (Date.now() >= nextReading) {
        nextReading = Date.now() + shape.readingEveryMs;
        readings.push(readDay(collector, agents.map((handle, i) => ({ name: (specs[i] as (typeof specs)[number]).name, handle })), (dataNow() - origin) / H));
      }
      await sleep(500);
    }
    watch.check();
    figures.events = { flaps: done.filter((d) => d === 'link flap').length, faults: done.filter((d) => d !== 'link flap') };
    figures.queries = { rounds: queries.rounds, failed: queries.failed.length, firstFailures: queries.failed.slice(0, 3) };

    // Retention: no raw point in a window below the raw cutoff, the last minutes there (raw windows of 15 minutes).
    // Retention runs every 10 data minutes and waits for the rollup of 10-minute periods, so a
    // point may outlive the cutoff by some 25 data minutes: the window ends 25 minutes below it.
    const end = dataNow();
    const rawOld = await rawPoints(collector, end - shape.retentionRawMs - 40 * M, end - shape.retentionRawMs - 25 * M);
    const rawRecent = await rawPoints(collector, end - 15 * M, end);
    figures.rawPointsBeyondRetention = rawOld;
    figures.rawPointsLast15DataMinutes = rawRecent;

    const second = readings.filter((r) => r.dataHours >= spanMs / H / 2);
    figures.secondHalf = flatness(second);
    figures.readings = readings.length;
    const found = watch.findings();
    figures.uncaught = found.uncaught.length;
    figures.errorLogLines = found.errorLines.length;

    for (const a of agents) watch.release(a);
    await waitFor('both agents caught up', async () => ((await Promise.all(agents.map((a) => a.status()))).every((s) => s.collector.state === 'connected' && s.buffer.frames <= 4) ? true : undefined), 120_000, 250);
    await Promise.all(agents.map((a) => stop(a.proc)));
    await proxy.close();
    let produced = 0;
    let stored = 0;
    let dropped = 0;
    for (let i = 0; i < agents.length; i++) {
      const books = await expectConservation(collector, (specs[i] as (typeof specs)[number]).name, (specs[i] as (typeof specs)[number]).token, (agents[i] as AgentHandle).dataDir, { skipDuplicateAudit: true });
      produced += books.produced;
      stored += books.stored;
      dropped += books.dropped;
    }
    Object.assign(figures, { produced, stored, dropped, duplicates: duplicateRows(collector) });
    watch.release(collector);
    await stop(collector.proc);

    expect(found.uncaught, 'uncaught exceptions or unhandled rejections').toEqual([]);
    expect(found.errorLines, 'error-level log lines').toEqual([]);
    expect(queries.failed, 'failed queries').toEqual([]);
    expect(rawOld, 'raw points older than the raw retention').toBe(0);
    expect(rawRecent).toBeGreaterThan(0);
    expect(figures.duplicates).toBe(0);
    expect(dropped).toBe(0);
    if (length === 'full') {
      const f = figures.secondHalf as ReturnType<typeof flatness>;
      expect(f.collector.rssGrowthMiB, 'collector RSS growth over the second half (slope × span)').toBeLessThanOrEqual(16);
      for (const a of f.agents) expect(a.rssGrowthMiB, `${a.name} RSS growth over the second half`).toBeLessThanOrEqual(16);
      expect(f.dbGrowthRatio, 'database size growth over the second half, share of its mean').toBeLessThanOrEqual(0.1);
      expect(f.collector.fds.max - f.collector.fds.min, 'collector fds over the second half').toBeLessThanOrEqual(4);
    }
  },
};

async function rawPoints(c: CollectorHandle, from: number, to: number): Promise<number> {
  const res = await fetch(c.url(`/api/v1/query/range?name=system.cpu.utilization&agent=l1-big&from=${Math.round(from)}&to=${Math.round(to)}&limit=10000`), { headers: { authorization: `Bearer ${c.viewerToken}` } });
  const body = (await res.json()) as { resolution: string; series: { points: unknown[] }[] };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.resolution).toBe('raw');
  return body.series.reduce((n, s) => n + s.points.length, 0);
}
