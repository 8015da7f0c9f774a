/**
 * The Prometheus remote-write 1.0 body: a `prometheus.WriteRequest` (the messages below, as the
 * Prometheus repository's prompb/remote.proto and prompb/types.proto define them, the fields 1.0
 * uses) encoded by protobufjs, then compressed with snappy's block format (snappyjs), as the
 * specification requires. Labels are sorted by name, none repeats, none is empty; every series
 * carries `__name__`, `agent` and `host`. A series label that would clash with `agent` or `host`
 * is kept as `exported_agent` / `exported_host`, as Prometheus does for scraped targets.
 */
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import type { ExportBatch } from '../export-batch.ts';
import { prometheusLabelName, prometheusMetricName } from '../prometheus-names.ts';

const PROTO = `
syntax = "proto3";
package prometheus;
message WriteRequest {
  repeated TimeSeries timeseries = 1;
  reserved 2;
  repeated MetricMetadata metadata = 3;
}
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
}
message Label {
  string name = 1;
  string value = 2;
}
message Sample {
  double value = 1;
  int64 timestamp = 2;
}
message MetricMetadata {
  int32 type = 1;
  string metric_family_name = 2;
  string help = 4;
  string unit = 5;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
/** The WriteRequest type, exported for tests that decode what was sent. */
export const WriteRequestType = root.lookupType('prometheus.WriteRequest');

export interface PromLabel {
  readonly name: string;
  readonly value: string;
}

export interface PromSample {
  readonly value: number;
  readonly timestamp: number;
}

export interface PromSeries {
  readonly labels: PromLabel[];
  readonly samples: PromSample[];
}

/** The series of a batch as Prometheus names them: translated, sorted, with `agent` and `host`. */
export function promSeries(batch: ExportBatch): PromSeries[] {
  return batch.series.map((s) => {
    const labels = new Map<string, string>();
    for (const [k, v] of Object.entries(s.labels)) {
      if (v === '') continue;
      let name = prometheusLabelName(k);
      if (name === 'agent' || name === 'host') name = `exported_${name}`;
      labels.set(name, v);
    }
    labels.set('__name__', prometheusMetricName(s.name));
    labels.set('agent', s.agent);
    if (s.host !== '') labels.set('host', s.host);
    const sorted = [...labels.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name, value]) => ({ name, value }));
    const samples: PromSample[] = new Array(s.ts.length);
    for (let i = 0; i < s.ts.length; i++) samples[i] = { value: s.values[i] as number, timestamp: s.ts[i] as number };
    return { labels: sorted, samples };
  });
}

/** The uncompressed WriteRequest bytes of a batch. */
export function encodeWriteRequest(batch: ExportBatch): Uint8Array {
  return WriteRequestType.encode({ timeseries: promSeries(batch) }).finish();
}

/** The HTTP body: the WriteRequest, snappy block-compressed. */
export function writeRequestBody(batch: ExportBatch): Uint8Array {
  return compress(encodeWriteRequest(batch));
}
