/**
 * Network traffic from /proc/net/dev: `system.network.io`, cumulative bytes per
 * `network.interface.name` and `network.io.direction` (receive, transmit). Counters, as the
 * convention has them: rates are derived where they are shown.
 */
import { Label, Metric } from '@sigmascope/protocol/metrics';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { parseNetDev } from './net-dev.ts';
import { readProcFile } from './proc-file.ts';
import { SeriesCache } from './series-cache.ts';
import type { SourceStatus, TelemetrySource } from './source.ts';

/** Options of the network source. */
export interface NetworkSourceOptions {
  /** The /proc root to read. */
  readonly procRoot: string;
}

/** Creates the network source. No I/O until start(). */
export function createNetworkSource(options: NetworkSourceOptions): TelemetrySource {
  const cache = new SeriesCache();
  let status: SourceStatus = { state: 'starting' };
  let info: Record<string, unknown> = {};
  const labels = (name: string, direction: string): Record<string, string> => ({ [Label.networkInterface]: name, [Label.networkDirection]: direction });

  return {
    name: 'network',
    async start() {
      const r = readProcFile(options.procRoot, 'net/dev');
      if (!r.ok) {
        status = { state: 'disabled', detail: r.reason };
        return;
      }
      info = { interfaces: parseNetDev(r.text).map((i) => i.name) };
      status = { state: 'ok', info };
    },
    collect(ts: number, sink: SampleSink) {
      if (status.state === 'disabled' || status.state === 'stopped') return;
      const r = readProcFile(options.procRoot, 'net/dev');
      if (!r.ok) {
        status = { state: 'degraded', detail: r.reason };
        return;
      }
      for (const i of parseNetDev(r.text)) {
        sink.add(cache.get(`${i.name}\0r`, Metric.networkIo, labels(i.name, 'receive')), ts, i.receive);
        sink.add(cache.get(`${i.name}\0t`, Metric.networkIo, labels(i.name, 'transmit')), ts, i.transmit);
      }
      if (status.state !== 'ok') status = { state: 'ok', info };
    },
    status: () => status,
    async stop() {
      status = { state: 'stopped' };
    },
  };
}
