/**
 * L1's shape (how fast, how long, what faults when), its periodic readings of the processes
 * and the database, its query rounds, and how flat the readings are over a stretch of the day.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentHandle, CollectorHandle } from '../support/fleet.ts';
import { fdsOf, memoryOf, mib, slope } from '../support/proc-stats.ts';
import type { SoakLength } from './scenario.ts';

const H = 3_600_000;
const M = 60_000;

export interface DayShape {
  /** Data clock rate (× the system's). */
  readonly rate: number;
  /** Collector retention, as written in its config file. */
  readonly retention: Readonly<Record<string, string>>;
  readonly retentionRawMs: number;
  /** Data-time ms between link flaps. */
  readonly flapEveryMs: number;
  /** Data-time ms of: collector SIGTERM restart, big agent kill, collector kill -9, small agent kill. */
  readonly faultsAt: readonly [number, number, number, number];
  /** System ms between readings. */
  readonly readingEveryMs: number;
}

/**
 * Full: 24 h at 20×, raw kept 4 h and the tiers up to 12 h, so the second half of the day runs
 * with everything at its retention; faults in the first third. Short (npm test): 90 minutes at
 * 60×, everything kept 1 h.
 */
export function dayShape(length: SoakLength): DayShape {
  return length === 'full'
    ? { rate: 20, retention: { raw: '4h', tier10s: '6h', tier1m: '8h', tier1h: '12h' }, retentionRawMs: 4 * H, flapEveryMs: H, faultsAt: [3 * H, 4 * H, 6 * H, 8 * H], readingEveryMs: 30_000 }
    : { rate: 60, retention: { raw: '1h', tier10s: '1h', tier1m: '1h', tier1h: '1h' }, retentionRawMs: H, flapEveryMs: 10 * M, faultsAt: [20 * M, 30 * M, 40 * M, 50 * M], readingEveryMs: 5_000 };
}

export interface DayReading {
  readonly dataHours: number;
  readonly collector: { rss: number; anonymous: number; fds: number };
  readonly agents: { name: string; rss: number; fds: number }[];
  /** The database file and its WAL, bytes. */
  readonly dbBytes: number;
}

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

export function readDay(collector: CollectorHandle, agents: readonly { name: string; handle: AgentHandle }[], dataHours: number): DayReading {
  const cpid = collector.proc.child.pid as number;
  const cm = memoryOf(cpid);
  return {
    dataHours,
    collector: { rss: cm.rss, anonymous: cm.anonymous, fds: fdsOf(cpid).total },
    agents: agents.map(({ name, handle }) => ({ name, rss: memoryOf(handle.proc.child.pid as number).rss, fds: fdsOf(handle.proc.child.pid as number).total })),
    dbBytes: size(join(collector.dataDir, 'sigmascope.db')) + size(join(collector.dataDir, 'sigmascope.db-wal')),
  };
}

/** One round of what a dashboard asks: recent raw, 6 h at 5 min, the whole day by hour, percentiles, agents. Failures are noted, not thrown. */
export async function runQueries(c: CollectorHandle, now: number, origin: number, tally: { rounds: number; failed: string[] }): Promise<void> {
  const paths = [
    `/api/v1/query/range?name=system.cpu.utilization&agent=l1-big&from=${now - 10 * M}&to=${now}`,
    `/api/v1/query/range?name=hw.gpu.utilization&from=${now - 6 * H}&to=${now}&step=300000`,
    `/api/v1/query/range?name=system.memory.utilization&from=${origin}&to=${now}&step=3600000`,
    `/api/v1/query/percentiles?name=hw.gpu.temperature&from=${now - H}&to=${now}`,
    '/api/v1/agents',
  ];
  tally.rounds++;
  for (const p of paths) {
    try {
      const res = await fetch(c.url(p), { headers: { authorization: `Bearer ${c.viewerToken}` } });
      await res.arrayBuffer();
      if (res.status !== 200) tally.failed.push(`${res.status} ${p}`);
    } catch (err) {
      // The collector is between a stop and its restart only inside the schedule's own steps.
      tally.failed.push(`${String(err)} ${p}`);
    }
  }
}

/** Growth over a stretch (least-squares slope × the stretch), in MiB or as a share of the mean. */
export function flatness(rs: readonly DayReading[]) {
  const hours = rs.map((r) => r.dataHours);
  const span = rs.length < 2 ? 0 : (hours[hours.length - 1] as number) - (hours[0] as number);
  const grow = (ys: number[]): number => Math.round((slope(hours, ys) * span) / 2 ** 20 * 10) / 10;
  const range = (ys: number[]) => ({ min: Math.min(...ys), max: Math.max(...ys) });
  const db = rs.map((r) => r.dbBytes);
  const meanDb = db.reduce((a, b) => a + b, 0) / Math.max(1, db.length);
  return {
    fromDataHour: Math.round((hours[0] ?? 0) * 10) / 10,
    collector: { rssMiB: range(rs.map((r) => mib(r.collector.rss))), rssGrowthMiB: grow(rs.map((r) => r.collector.rss)), anonymousGrowthMiB: grow(rs.map((r) => r.collector.anonymous)), fds: range(rs.map((r) => r.collector.fds)) },
    agents: (rs[0]?.agents ?? []).map((a, i) => ({
      name: a.name,
      rssMiB: range(rs.map((r) => mib(r.agents[i]?.rss ?? 0))),
      rssGrowthMiB: grow(rs.map((r) => r.agents[i]?.rss ?? 0)),
      fds: range(rs.map((r) => r.agents[i]?.fds ?? 0)),
    })),
    dbMiB: range(db.map(mib)),
    dbGrowthRatio: meanDb === 0 ? 0 : Math.round(((slope(hours, db) * span) / meanDb) * 1000) / 1000,
  };
}
