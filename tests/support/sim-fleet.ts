/**
 * Many agents in one test process, for scenarios that need a thousand of them (RELIABILITY.md
 * N1/N2): each is the agent's own batcher and uplink (agent/src/pipeline/batcher.ts,
 * agent/src/uplink/uplink.ts: the real hello, resend, window and full-jitter backoff) over an
 * in-memory buffer, with a handful of host series per tick instead of the sampler. Only the
 * sources and the LMDB buffer are left out; what goes over the wire is what an agent sends.
 */
import { randomUUID } from 'node:crypto';
import { series } from '../../protocol/src/series.ts';
import type { Series } from '../../protocol/src/series.ts';
import { createLogger } from '../../protocol/src/log.ts';
import { MemoryFrameBuffer } from '../../agent/src/buffer/memory-buffer.ts';
import { Batcher } from '../../agent/src/pipeline/batcher.ts';
import { Uplink } from '../../agent/src/uplink/uplink.ts';
import { openTokenStore } from '../../collector/src/main.ts';

export interface SimAgent {
  readonly name: string;
  readonly buffer: MemoryFrameBuffer;
  readonly uplink: Uplink;
}

export interface SimBooks {
  readonly name: string;
  readonly produced: number;
  readonly acked: number;
  readonly dropped: number;
  readonly buffered: number;
}

export interface SimFleet {
  readonly agents: readonly SimAgent[];
  /** Agents whose uplink is connected (welcomed) now. */
  connected(): number;
  /** Frames buffered across the fleet. */
  bufferedFrames(): number;
  /** Stops producing; the links stay up so the buffers drain. */
  pause(): void;
  books(): SimBooks[];
  /** Stops producing and closes every link. */
  stop(): Promise<void>;
}

/** Creates `count` agent tokens named `${prefix}-0000…` (and a viewer) in a collector data dir that no collector runs on yet. */
export function createFleetTokens(dataDir: string, prefix: string, count: number): { agents: { name: string; token: string }[]; viewerToken: string } {
  const { tokens, close } = openTokenStore(dataDir);
  try {
    const made = (name: string, role: 'agent' | 'viewer'): string => {
      const r = tokens.create(name, role);
      if (!r.ok) throw new Error(r.reason);
      return r.token;
    };
    const agents = Array.from({ length: count }, (_, i) => {
      const name = `${prefix}-${String(i).padStart(4, '0')}`;
      return { name, token: made(name, 'agent') };
    });
    return { agents, viewerToken: made(`${prefix}-viewer`, 'viewer') };
  } finally {
    close();
  }
}

/** Starts the fleet: every agent connects now and seals one frame of `seriesPerTick` samples each `intervalMs`, all on one tick as real agents on the wall-clock grid do. */
export function startSimFleet(opts: { url: string; agents: readonly { name: string; token: string }[]; seriesPerTick: number; intervalMs: number }): SimFleet {
  const log = createLogger('error', () => {});
  const shapes: Series[] = Array.from({ length: opts.seriesPerTick }, (_, i) => series(i === 0 ? 'system.memory.utilization' : 'system.cpu.utilization', i === 0 ? {} : { 'cpu.logical_number': String(i - 1) }));
  const sims = opts.agents.map(({ name, token }) => {
    const buffer = new MemoryFrameBuffer();
    const bootId = randomUUID();
    // The batcher tells the uplink (made next) when a frame is durable.
    let uplink: Uplink | null = null;
    const batcher = new Batcher(buffer, () => uplink?.notify());
    uplink = new Uplink({
      url: opts.url, token, buffer, log, window: 8, backoffBaseMs: 1_000, backoffCapMs: 30_000, pingIntervalMs: 15_000, pingTimeoutMs: 30_000, ackTimeoutMs: 30_000,
      hello: () => ({ agentVersion: 'sim', bootId, hostname: name, clock: Date.now() }),
    });
    uplink.start();
    return { name, buffer, uplink, batcher };
  });
  let producing = true;
  const timer = setInterval(() => {
    if (!producing) return;
    const ts = Date.now();
    for (const s of sims) {
      for (const shape of shapes) s.batcher.add(shape, ts, Math.random());
      s.batcher.seal();
    }
  }, opts.intervalMs);
  const pause = (): void => {
    producing = false;
    clearInterval(timer);
  };
  return {
    agents: sims,
    connected: () => sims.filter((s) => s.uplink.status().state === 'connected').length,
    bufferedFrames: () => sims.reduce((n, s) => n + s.buffer.stats().frames, 0),
    pause,
    books: () =>
      sims.map((s) => {
        const b = s.buffer.stats();
        return { name: s.name, produced: b.counters.produced, acked: b.counters.acked, dropped: Object.values(b.counters.dropped).reduce((x, y) => x + y, 0), buffered: b.samples };
      }),
    async stop() {
      pause();
      await Promise.all(sims.map((s) => s.batcher.flushed()));
      await Promise.all(sims.map((s) => s.uplink.stop()));
    },
  };
}
