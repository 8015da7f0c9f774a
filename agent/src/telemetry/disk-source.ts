/**
 * Disk traffic from /proc/diskstats: `system.disk.io`, cumulative bytes per `system.device`
 * (whole disks only) and `disk.io.direction` (read, write).
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { parseDiskstats } from './diskstats.ts';
import { readProcFile } from './proc-file.ts';
import { SeriesCache } from './series-cache.ts';
import type { SourceStatus, TelemetrySource } from './source.ts';

/** Options of the disk source. */
export interface DiskSourceOptions {
  /** The /proc root to read. */
  readonly procRoot: string;
}

/** Creates the disk source. No I/O until start(). */
export function createDiskSource(options: DiskSourceOptions): TelemetrySource {
  const cache = new SeriesCache();
  let status: SourceStatus = { state: 'starting' };
  let info: Record<string, unknown> = {};
  const labels = (device: string, direction: string): Record<string, string> => ({ [Label.device]: device, [Label.diskDirection]: direction });

  return {
    name: 'disk',
    async start() {
      const r = readProcFile(options.procRoot, 'diskstats');
      if (!r.ok) {
        status = { state: 'disabled', detail: r.reason };
        return;
      }
      info = { disks: parseDiskstats(r.text).map((d) => d.device) };
      status = { state: 'ok', info };
    },
    collect(ts: number, sink: SampleSink) {
      if (status.state === 'disabled' || status.state === 'stopped') return;
      const r = readProcFile(options.procRoot, 'diskstats');
      if (!r.ok) {
        status = { state: 'degraded', detail: r.reason };
        return;
      }
      for (const d of parseDiskstats(r.text)) {
        sink.add(cache.get(`${d.device}\0r`, Metric.diskIo, labels(d.device, 'read')), ts, d.read);
        sink.add(cache.get(`${d.device}\0w`, Metric.diskIo, labels(d.device, 'write')), ts, d.write);
      }
      if (status.state !== 'ok') status = { state: 'ok', info };
    },
    status: () => status,
    async stop() {
      status = { state: 'stopped' };
    },
  };
}
