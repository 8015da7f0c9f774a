/**
 * The simulated fleet over real sockets: each host of fleet-model.ts is a virtual agent with the
 * agent's own shipping path (BatchBuilder → frame buffer → Uplink: hello, welcome, batches,
 * cumulative acks, resend after a reconnect) talking to a real collector over loopback with its
 * own token. History first, stamped in the past as an agent's buffer would replay it after an
 * outage, then live: one batch per host every second, stamped with the wall clock, so the
 * collector sees consistent timestamps and every time it measures is real.
 */
import { randomUUID } from 'node:crypto';
import { BatchBuilder } from '../../../protocol/src/batch.ts';
import { encodeFrame } from '../../../protocol/src/codec.ts';
import { silentLogger } from '../../../protocol/src/log.ts';
import { MemoryFrameBuffer } from '../../../agent/src/buffer/memory-buffer.ts';
import { Uplink } from '../../../agent/src/uplink/uplink.ts';
import { SimHostModel } from './fleet-model.ts';
import type { SimHost } from './fleet-model.ts';
import type { Fault } from './faults.ts';

export interface FleetSimOptions {
  /** The collector's ingest URL, ws://127.0.0.1:PORT/ingest. */
  readonly url: string;
  /** Host id → its agent token (`sigmascope token create <id>`). */
  readonly tokens: ReadonlyMap<string, string>;
  readonly hosts: readonly SimHost[];
  readonly faults: () => readonly Fault[];
  /** History sent first, ending now (ms). */
  readonly historyMs: number;
}

/** History goes out in frames of this many ms of samples (a few thousand samples each). */
const HISTORY_FRAME_MS = 5_000;
const TICK_MS = 1_000;

interface VirtualAgent {
  readonly model: SimHostModel;
  readonly buffer: MemoryFrameBuffer;
  readonly uplink: Uplink;
}

export class FleetSim {
  private readonly agents: VirtualAgent[];
  private timer: NodeJS.Timeout | null = null;

  private constructor(agents: VirtualAgent[]) {
    this.agents = agents;
  }

  /** Connects every host, queues its history and starts live batches. Resolves once the history is stored. */
  static async start(o: FleetSimOptions, drainTimeoutMs = 60_000): Promise<FleetSim> {
    const now = Date.now();
    const stream = `sim-${randomUUID().slice(0, 8)}`;
    const agents = o.hosts.map((h): VirtualAgent => {
      const token = o.tokens.get(h.id);
      if (token === undefined) throw new Error(`no token for ${h.id}`);
      const buffer = new MemoryFrameBuffer();
      const uplink = new Uplink({
        url: o.url, token, buffer, log: silentLogger, window: 8, backoffBaseMs: 200, backoffCapMs: 2_000, pingIntervalMs: 5_000, pingTimeoutMs: 15_000, ackTimeoutMs: 30_000,
        hello: () => ({ agentVersion: 'fleet-sim', bootId: randomUUID(), stream, hostname: h.hostname, clock: Date.now() }),
      });
      return { model: new SimHostModel(h, o.faults), buffer, uplink };
    });
    const sim = new FleetSim(agents);
    for (const a of agents) {
      a.model.advance(now - o.historyMs, () => {});
      for (let t = now - o.historyMs + HISTORY_FRAME_MS; t <= now; t += HISTORY_FRAME_MS) await sim.ship(a, t);
      a.uplink.start();
    }
    await sim.drained(drainTimeoutMs);
    sim.timer = setInterval(() => {
      const t = Date.now();
      for (const a of sim.agents) void sim.ship(a, t).then(() => a.uplink.notify());
    }, TICK_MS);
    return sim;
  }

  /** Seals what a host produced up to `to` into one frame in its buffer. */
  private async ship(a: VirtualAgent, to: number): Promise<void> {
    const b = new BatchBuilder();
    a.model.advance(to, (s, ts, v) => void b.add(s, ts, v));
    if (b.isEmpty) return;
    const count = b.sampleCount;
    const seq = a.buffer.nextSeq();
    await a.buffer.append(seq, encodeFrame(b.seal(seq, to)), count);
  }

  /** Resolves once every host's buffer is empty (all acknowledged). */
  async drained(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.agents.some((a) => a.buffer.stats().frames > 0)) {
      if (Date.now() > deadline) throw new Error(`fleet not drained: ${this.agents.map((a) => `${a.model.spec.id} ${a.buffer.stats().frames} frames, ${a.uplink.status().state} ${a.uplink.status().lastError ?? ''}`).join('; ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await Promise.all(this.agents.map((a) => a.uplink.stop()));
  }
}
