/**
 * The agent, wired by hand in pipeline order:
 *
 *   sources ─▶ sampler (2 Hz) ─┐
 *   probes ────────────────────┼─▶ anomaly watch ─▶ spc watch ─▶ live tap ─▶ batcher ─▶ buffer (LMDB) ─▶ uplink ─▶ collector
 *                              │                  └─▶ status server (127.0.0.1:7301): page, /api/status, /api/live
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LiveHub } from '@sigmascope/protocol/live-hub';
import type { Logger } from '@sigmascope/protocol/log';
import type { Listening } from '@sigmascope/web/server/listen';
import { openLmdbBuffer } from './buffer/lmdb-buffer.ts';
import type { AgentConfig } from './config/agent-config.ts';
import { loadIdentity, newBootId } from './identity.ts';
import { Batcher } from './pipeline/batcher.ts';
import { Sampler } from './pipeline/sampler.ts';
import type { AgentStatus } from './status/agent-status.ts';
import { LiveTap } from './status/live-tap.ts';
import { startStatusServer } from './status/status-server.ts';
import { createInferenceSource } from './inference/inference-source.ts';
import { openKeyStore } from './keys/key-store.ts';
import { createProbeRunner } from './probes/probe-runner.ts';
import { SpcWatch } from './spc/spc-watch.ts';
import { AnomalyWatch } from './anomaly/anomaly-watch.ts';
import { createSources } from './telemetry/registry.ts';
import { Uplink } from './uplink/uplink.ts';
import { AGENT_VERSION } from './version.ts';

export { AGENT_VERSION };

export interface RunningAgent {
  readonly name: string;
  /** The status server's port, or null when disabled. */
  readonly statusPort: number | null;
  status(): AgentStatus;
  /** Stops sampling, seals and persists what was sampled, closes the link. Nothing sampled is lost. */
  stop(): Promise<void>;
}

/** Starts the agent; resolves once sampling runs and the status server listens. */
export async function runAgent(config: AgentConfig, log: Logger, webRoot: string | null): Promise<RunningAgent> {
  const startedAt = Date.now();
  // The key store is opened first: a tampered store or a wrong master key refuses the start (exit 2).
  const keys = openKeyStore(config.dataDir, config.masterKey ?? undefined);
  keys.unlockAll();
  const identity = loadIdentity(config.dataDir);
  const bootId = newBootId();
  const host = hostname();
  const name = config.name ?? host;
  const buffer = openLmdbBuffer({ dir: join(config.dataDir, 'buffer'), capBytes: config.buffer.capBytes, log: log.child({ part: 'buffer' }) });

  const uplink =
    config.collector.url !== null && config.collector.token !== null
      ? new Uplink({
          url: config.collector.url, token: config.collector.token, buffer, log: log.child({ part: 'uplink' }), ...config.uplink,
          hello: () => ({ agentVersion: AGENT_VERSION, bootId, stream: identity.stream, hostname: host, clock: Date.now() }),
        })
      : null;
  const batcher = new Batcher(buffer, () => uplink?.notify());
  const hub = new LiveHub();
  const tap = new LiveTap(batcher, hub, name);
  const spc = new SpcWatch(tap, config.spc, Date.now);
  const anomalies = new AnomalyWatch(spc, config.anomaly);
  const sink = anomalies;

  const sources = [
    ...createSources({ procRoot: config.telemetry.procRoot, gpu: config.telemetry.gpu, nvidiaSmiPath: config.telemetry.nvidiaSmi, gpuIntervalMs: config.telemetry.gpuIntervalMs, ...(config.telemetry.sources !== null ? { enabled: config.telemetry.sources } : {}) }, log.child({ part: 'telemetry' })),
    ...config.probes.inference.map(createInferenceSource),
  ];
  const sampler = new Sampler({
    intervalMs: config.sampler.intervalMs, deadlineMs: config.sampler.deadlineMs, sources, sink, log: log.child({ part: 'sampler' }),
    onTick: (ts: number) => {
      batcher.seal();
      tap.flush(ts);
    },
  });

  sink.event({ kind: 'lifecycle', ts: startedAt, what: 'boot', detail: `agent ${AGENT_VERSION} boot ${bootId}` });
  await sampler.start();
  const probes = createProbeRunner(config.probes, { sink, log: log.child({ part: 'probes' }), key: (n) => keys.get(n) });
  probes.start();
  uplink?.start();

  const status = (): AgentStatus => {
    const b = buffer.stats();
    const u = uplink?.status();
    const s = sampler.stats();
    const droppedSamples = Object.values(b.counters.dropped).reduce((x, y) => x + y, 0);
    return {
      agentId: name, name, hostname: host, version: AGENT_VERSION, bootId, startedAt,
      collector: { url: config.collector.url, state: u?.state ?? 'disabled', lastError: u?.lastError ?? null, connectedSince: u?.connectedSince ?? null, lastAckAt: u?.lastAckAt ?? null },
      samples: { produced: b.counters.produced, acked: b.counters.acked, dropped: b.counters.dropped, buffered: b.samples, nonFinite: batcher.stats().nonFiniteSamples },
      buffer: { frames: b.frames, bytes: b.bytes, capBytes: b.capBytes, oldestSeq: b.oldestSeq, newestSeq: b.newestSeq, droppedSamples, quarantinedFrames: b.counters.quarantinedFrames, writeError: b.writeError },
      sampler: { intervalMs: config.sampler.intervalMs, ticks: s.ticks, lateTicks: s.lateTicks, lastTickAt: s.lastTickAt },
      sources: s.sources,
      probes: probes.status(),
      spc: spc.status(),
      anomaly: anomalies.status(),
      latest: [...tap.latest.values()],
      events: tap.recentEvents,
    };
  };
  const healthy = (): { ok: boolean; detail: string } => {
    const last = sampler.stats().lastTickAt;
    const age = last === null ? Date.now() - startedAt : Date.now() - last;
    const ok = age < 5 * config.sampler.intervalMs + 1_000;
    return { ok, detail: ok ? 'sampling' : `no tick for ${age} ms` };
  };

  let server: Listening | null = null;
  if (config.status.enabled) {
    try {
      server = await startStatusServer({ status, healthy, hub, webRoot }, config.status.listen, config.status.port);
    } catch (err) {
      await probes.stop();
      await sampler.stop();
      await uplink?.stop();
      await buffer.close();
      throw err;
    }
  }
  log.info('agent running', { name, collector: config.collector.url, status: server ? `http://${server.host}:${server.port}` : 'disabled', data: config.dataDir });

  return {
    name,
    statusPort: server?.port ?? null,
    status,
    async stop() {
      await probes.stop();
      await sampler.stop();
      batcher.seal();
      await batcher.flushed();
      await uplink?.stop();
      await server?.close();
      await buffer.close();
    },
  };
}
