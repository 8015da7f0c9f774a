/**
 * The agent's own footprint: `sigmascope.agent.cpu.utilization`, the CPU time the agent process
 * used between two ticks as a fraction of ONE core (user + system; 0.015 = 1.5 % of a core, the
 * unit the footprint target is stated in), and `sigmascope.agent.memory.rss` in bytes.
 */
import { Metric } from '@sigmascope/protocol/metrics';
import { series } from '@sigmascope/protocol/series';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import type { SourceStatus, TelemetrySource } from './source.ts';

/** The process readings the source needs; the defaults read this process. Injectable for tests. */
export interface ProcessProbe {
  /** Cumulative user + system CPU time of the process, in microseconds. */
  cpuMicros(): number;
  /** Resident set size in bytes. */
  rssBytes(): number;
  /** A monotonic clock in milliseconds. */
  monotonicMs(): number;
}

/** Reads the current process through `process.cpuUsage()` and `process.memoryUsage.rss()`. */
export const currentProcess: ProcessProbe = {
  cpuMicros: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  rssBytes: () => process.memoryUsage.rss(),
  monotonicMs: () => performance.now(),
};

/** Creates the agent-self source. The first tick only records a baseline for the CPU ratio. */
export function createAgentSelfSource(probe: ProcessProbe = currentProcess): TelemetrySource {
  const cpuSeries = series(Metric.agentCpuUtilization);
  const rssSeries = series(Metric.agentMemoryRss);
  let last: { cpu: number; at: number } | null = null;
  let status: SourceStatus = { state: 'starting' };

  return {
    name: 'agent',
    async start() {
      last = { cpu: probe.cpuMicros(), at: probe.monotonicMs() };
      status = { state: 'ok' };
    },
    collect(ts: number, sink: SampleSink) {
      if (status.state === 'stopped') return;
      const now = { cpu: probe.cpuMicros(), at: probe.monotonicMs() };
      if (last !== null && now.at > last.at && now.cpu >= last.cpu) {
        sink.add(cpuSeries, ts, (now.cpu - last.cpu) / 1000 / (now.at - last.at));
      }
      last = now;
      sink.add(rssSeries, ts, probe.rssBytes());
    },
    status: () => status,
    async stop() {
      status = { state: 'stopped' };
    },
  };
}
