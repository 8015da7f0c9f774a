/**
 * CPU utilization per mode from /proc/stat deltas (`system.cpu.utilization`, label `cpu.mode`,
 * ratio 0..1 of all CPUs together) and the 1-minute load average from /proc/loadavg
 * (`system.cpu.load_average.1m`). The first tick only records a baseline: a ratio needs two
 * snapshots.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { CPU_MODES, cpuModeRatios, parseCpuTimes } from './cpu-times.ts';
import type { CpuTimes } from './cpu-times.ts';
import { parseLoadAverage1m } from './load-average.ts';
import { readProcFile } from './proc-file.ts';
import { SeriesCache } from './series-cache.ts';
import type { SourceStatus, TelemetrySource } from './source.ts';

/** Options of the cpu source. */
export interface CpuSourceOptions {
  /** The /proc root to read: `/proc` on a host, a folder of captured files in tests. */
  readonly procRoot: string;
}

/** Creates the cpu source. No I/O until start(). */
export function createCpuSource(options: CpuSourceOptions): TelemetrySource {
  const cache = new SeriesCache();
  let previous: CpuTimes | null = null;
  let status: SourceStatus = { state: 'starting' };

  const readTimes = (): CpuTimes | string => {
    const r = readProcFile(options.procRoot, 'stat');
    if (!r.ok) return r.reason;
    return parseCpuTimes(r.text) ?? `no cpu line in ${options.procRoot}/stat`;
  };

  return {
    name: 'cpu',
    async start() {
      const first = readTimes();
      if (typeof first === 'string') {
        status = { state: 'disabled', detail: first };
        return;
      }
      previous = first;
      status = { state: 'ok' };
    },
    collect(ts: number, sink: SampleSink) {
      if (status.state === 'disabled' || status.state === 'stopped') return;
      const times = readTimes();
      if (typeof times === 'string') {
        status = { state: 'degraded', detail: times };
      } else {
        const ratios = previous === null ? null : cpuModeRatios(previous, times);
        previous = times;
        if (ratios !== null) {
          for (const mode of CPU_MODES) {
            sink.add(cache.get(mode, Metric.cpuUtilization, { [Label.cpuMode]: mode }), ts, ratios[mode]);
          }
        }
        if (status.state !== 'ok') status = { state: 'ok' };
      }
      const load = readProcFile(options.procRoot, 'loadavg');
      const load1m = load.ok ? parseLoadAverage1m(load.text) : null;
      if (load1m !== null) sink.add(cache.get('load1m', Metric.cpuLoadAverage1m, {}), ts, load1m);
    },
    status: () => status,
    async stop() {
      status = { state: 'stopped' };
    },
  };
}
