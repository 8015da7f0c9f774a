/**
 * The agent, wired by hand in pipeline order:
 *
 *   sources ─▶ sampler (2 Hz) ─┐
 *   probes ────────────────────┼─▶ anomaly watch ─▶ spc watch ─▶ violation ledger ─▶ live tap ─▶ batcher ─▶ buffer (LMDB) ─▶ uplink ─▶ collector
 *                              │                                     └─▶ status server (127.0.0.1:7301): page, /api/status, /api/live
 *   collector ── sync {violation states, re-baselines} ─▶ uplink ─▶ ledger, spc watch
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { scaledClock } from '@sigmascope/protocol/clock';
import { LiveHub } from '@sigmascope/protocol/live-hub';
import type { Logger } from '@sigmascope/protocol/log';
import type { Listening } from '@sigmascope/web/server/listen';
import { openLmdbBuffer } from './buffer/lmdb-buffer.ts';
import type { AgentConfig } from './config/agent-config.ts';
import { newBootId, readLegacyStream } from './identity.ts';
import { Batcher } from './pipeline/batcher.ts';
import { Sampler } from './pipeline/sampler.ts';
import type { AgentStatus } from './status/agent-status.ts';
import { LiveTap } from './status/live-tap.ts';
import { isLoopback, loadStatusToken } from './status/status-gate.ts';
import { startStatusServer } from './status/status-server.ts';
import { createInferenceSource } from './inference/inference-source.ts';
import { openKeyStore } from './keys/key-store.ts';
import { createProbeRunner } from './probes/probe-runner.ts';
import { startPassiveProxy } from './probes/passive/passive-proxy.ts';
import type { PassiveProxy } from './probes/passive/passive-proxy.ts';
import { SpcWatch } from './spc/spc-watch.ts';
import { ViolationLedger } from './spc/violation-ledger.ts';
import type { SyncFrame } from '@sigmascope/protocol/frames';
import { AnomalyWatch } from './anomaly/anomaly-watch.ts';
import { createSources } from './telemetry/registry.ts';
import { Uplink } from './uplink/uplink.ts';
import { loadUplinkTls } from './uplink/uplink-tls.ts';
import { tokenSource } from './config/token-file.ts';
import { AGENT_VERSION } from './version.ts';

export { AGENT_VERSION };

export interface RunningAgent {
  readonly name: string;
  /** The status server's port, or null when disabled. */
  readonly statusPort: number | null;
  /** The passive pass-through's port, or null when it is off. */
  readonly passivePort: number | null;
  status(): AgentStatus;
  /** Stops sampling, seals and persists what was sampled, closes the link. Nothing sampled is lost. */
  stop(): Promise<void>;
}

function memoryNow(): AgentStatus['memory'] {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

/** Starts the agent; resolves once sampling runs and the status server listens. */
export async function runAgent(config: AgentConfig, log: Logger, webRoot: string | null): Promise<RunningAgent> {
  const clock = scaledClock(config.clock);
  // Certificate files are read before anything is opened: a bad one stops the start (exit 2).
  const uplinkTls = config.collector.url === null ? {} : loadUplinkTls(config.collector.tls);
  const startedAt = clock.now();
  // The key store is opened first: a tampered store or a wrong master key refuses the start (exit 2).
  const keys = openKeyStore(config.dataDir, config.masterKey ?? undefined);
  keys.unlockAll();
  const bootId = newBootId();
  const host = hostname();
  const name = config.name ?? host;
  const buffer = openLmdbBuffer({ dir: join(config.dataDir, 'buffer'), capBytes: config.buffer.capBytes, log: log.child({ part: 'buffer' }), legacyStream: readLegacyStream(config.dataDir) });

  // The uplink hands the collector's sync frames here; the ledger and the watch exist by the first one.
  let onSync = (_frame: SyncFrame): void => {};
  const uplink =
    config.collector.url !== null && config.collector.token !== null
      ? new Uplink({
          url: config.collector.url, token: config.collector.token, tls: uplinkTls, buffer, log: log.child({ part: 'uplink' }), ...config.uplink,
          tokens: tokenSource(config.collector.tokens, config.collector.tokenFile, (error) => log.warn('token file unreadable; keeping the tokens read before', { error })),
          hello: () => ({ agentVersion: AGENT_VERSION, bootId, hostname: host, clock: clock.now() }),
          onSync: (frame) => onSync(frame),
        })
      : null;
  const batcher = new Batcher(buffer, () => uplink?.notify(), clock.now);
  const hub = new LiveHub();
  const tap = new LiveTap(batcher, hub, name);
  const ledger = new ViolationLedger(tap, clock.now);
  const spc = new SpcWatch(ledger, config.spc, clock.now);
  const anomalies = new AnomalyWatch(spc, config.anomaly);
  const sink = anomalies;
  const syncLog = log.child({ part: 'sync' });
  onSync = (frame) => {
    const changed = ledger.apply(frame.violations);
    const rebaselined = frame.baselines.filter((b) => spc.rebaselineFrom(b.key, b.at)).map((b) => b.key);
    if (changed > 0) syncLog.info('violation states from the collector', { changed });
    if (rebaselined.length > 0) syncLog.info('spc re-baselined from the collector', { series: rebaselined });
  };

  const sources = [
    ...createSources({ procRoot: config.telemetry.procRoot, gpu: config.telemetry.gpu, nvidiaSmiPath: config.telemetry.nvidiaSmi, gpuIntervalMs: config.telemetry.gpuIntervalMs, ...(config.telemetry.sources !== null ? { enabled: config.telemetry.sources } : {}) }, log.child({ part: 'telemetry' })),
    ...config.probes.inference.map(createInferenceSource),
  ];
  const sampler = new Sampler({
    intervalMs: config.sampler.intervalMs, deadlineMs: config.sampler.deadlineMs, sources, sink, log: log.child({ part: 'sampler' }), clock,
    onTick: (ts: number) => {
      batcher.seal();
      tap.flush(ts);
    },
  });

  sink.event({ kind: 'lifecycle', ts: startedAt, what: 'boot', detail: `agent ${AGENT_VERSION} boot ${bootId}` });
  await sampler.start();
  const probes = createProbeRunner(config.probes, { sink, log: log.child({ part: 'probes' }), key: (n) => keys.get(n) });
  probes.start();
  // The opt-in pass-through times the applications' own requests beside the probes.
  const passive: PassiveProxy | null = config.probes.passive === null ? null : await startPassiveProxy(config.probes.passive, { sink, log: log.child({ part: 'passive' }) });
  uplink?.start();

  const status = (): AgentStatus => {
    const b = buffer.stats();
    const u = uplink?.status();
    const s = sampler.stats();
    const droppedSamples = Object.values(b.counters.dropped).reduce((x, y) => x + y, 0);
    return {
      agentId: name, name, hostname: host, version: AGENT_VERSION, bootId, startedAt,
      collector: {
        url: config.collector.url, state: u?.state ?? 'disabled', lastError: u?.lastError ?? null, connectedSince: u?.connectedSince ?? null, lastAckAt: u?.lastAckAt ?? null,
        protocol: u?.protocol ?? null, framesInFlight: u?.framesInFlight ?? 0, awaitingAckSince: u?.awaitingAckSince ?? null, ackTimeoutMs: config.uplink.ackTimeoutMs, ackTimeouts: u?.ackTimeouts ?? 0,
      },
      samples: { produced: b.counters.produced, acked: b.counters.acked, dropped: b.counters.dropped, buffered: b.samples, nonFinite: batcher.stats().nonFiniteSamples },
      buffer: { frames: b.frames, bytes: b.bytes, diskBytes: b.diskBytes, capBytes: b.capBytes, oldestSeq: b.oldestSeq, newestSeq: b.newestSeq, droppedSamples, quarantinedFrames: b.counters.quarantinedFrames, writeError: b.writeError },
      sampler: { intervalMs: config.sampler.intervalMs, ticks: s.ticks, lateTicks: s.lateTicks, lastTickAt: s.lastTickAt },
      memory: memoryNow(),
      sources: s.sources,
      probes: probes.status(),
      spc: spc.status(),
      violations: ledger.list(),
      anomaly: anomalies.status(),
      latest: [...tap.latest.values()],
      events: tap.recentEvents,
    };
  };
  const healthy = (): { ok: boolean; detail: string } => {
    const last = sampler.stats().lastTickAt;
    const age = (last === null ? clock.now() - startedAt : clock.now() - last) / config.clock.rate;
    const ok = age < (5 * config.sampler.intervalMs) / config.clock.rate + 1_000;
    return { ok, detail: ok ? 'sampling' : `no tick for ${age} ms` };
  };

  let server: Listening | null = null;
  if (config.status.enabled) {
    try {
      const rebaseline = (key: string | undefined): number => {
        const n = spc.rebaseline(key);
        // The agent's audit trail is its log: who asked is whoever reached the loopback page.
        log.info('spc re-baselined from the status page', { series: key ?? 'all', count: n });
        return n;
      };
      const token = isLoopback(config.status.listen) ? null : loadStatusToken(config.status.tokenFile ?? join(config.dataDir, 'status-token'));
      if (token !== null) log.warn('status page listens beyond loopback; it asks for the status token', { listen: config.status.listen, tokenFile: config.status.tokenFile ?? join(config.dataDir, 'status-token') });
      server = await startStatusServer({ status, healthy, hub, webRoot, token, rebaseline }, config.status.listen, config.status.port);
    } catch (err) {
      await probes.stop();
      await passive?.stop();
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
    passivePort: passive?.port ?? null,
    status,
    async stop() {
      await probes.stop();
      await passive?.stop();
      await sampler.stop();
      batcher.seal();
      await batcher.flushed();
      await uplink?.stop();
      await server?.close();
      await buffer.close();
    },
  };
}
