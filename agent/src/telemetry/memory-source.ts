/**
 * Memory from /proc/meminfo: `system.memory.usage` in bytes per `system.memory.state`
 * (used, free, cached, buffers), `system.memory.limit` (bytes) and `system.memory.utilization`
 * (used / limit).
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { parseMeminfo } from './meminfo.ts';
import type { MemoryBytes } from './meminfo.ts';
import { readProcFile } from './proc-file.ts';
import { SeriesCache } from './series-cache.ts';
import type { SourceStatus, TelemetrySource } from './source.ts';

const STATES = ['used', 'free', 'cached', 'buffers'] as const;

/** Options of the memory source. */
export interface MemorySourceOptions {
  /** The /proc root to read. */
  readonly procRoot: string;
}

/** Creates the memory source. No I/O until start(). */
export function createMemorySource(options: MemorySourceOptions): TelemetrySource {
  const cache = new SeriesCache();
  let status: SourceStatus = { state: 'starting' };

  const read = (): MemoryBytes | string => {
    const r = readProcFile(options.procRoot, 'meminfo');
    if (!r.ok) return r.reason;
    return parseMeminfo(r.text) ?? `no MemTotal/MemFree in ${options.procRoot}/meminfo`;
  };

  return {
    name: 'memory',
    async start() {
      const first = read();
      status = typeof first === 'string' ? { state: 'disabled', detail: first } : { state: 'ok' };
    },
    collect(ts: number, sink: SampleSink) {
      if (status.state === 'disabled' || status.state === 'stopped') return;
      const m = read();
      if (typeof m === 'string') {
        status = { state: 'degraded', detail: m };
        return;
      }
      for (const state of STATES) sink.add(cache.get(state, Metric.memoryUsage, { [Label.memoryState]: state }), ts, m[state]);
      sink.add(cache.get('limit', Metric.memoryLimit, {}), ts, m.limit);
      sink.add(cache.get('utilization', Metric.memoryUtilization, {}), ts, m.used / m.limit);
      if (status.state !== 'ok') status = { state: 'ok' };
    },
    status: () => status,
    async stop() {
      status = { state: 'stopped' };
    },
  };
}
