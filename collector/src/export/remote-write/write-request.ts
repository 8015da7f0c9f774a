/**
 * The Prometheus remote-write 1.0 body: a `prometheus.WriteRequest` (the messages below, as the
 * Prometheus repository's prompb/remote.proto and prompb/types.proto define them, the fields 1.0
 * uses) encoded by protobufjs, then compressed with snappy's block format (snappyjs), as the
 * specification requires. Labels are sorted by name, none repeats, none is empty; every series
 * carries `__name__`, `agent` and `host`. A series label that would clash with `agent` or `host`
 * is kept as `exported_agent` / `exported_host`, as Prometheus does for scraped targets.
 *
 * At 100,000 samples/s live, a batch holds about one sample per series: its labels are most of
 * the bytes and of the work. So the labels of each series are translated, sorted and encoded
 * (protobufjs, as a TimeSeries of labels only) once and kept per series; a batch is then, per
 * series, those bytes and its samples (protobufjs' Writer) inside one length-delimited
 * `timeseries` field of the WriteRequest:
 *
 *   WriteRequest = ( 0x0a  varint(len)  [labels: cached]  [samples: 0x12 len 0x09 f64 0x10 varint(ts)]… )…
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

const TimeSeriesType = root.lookupType('prometheus.TimeSeries');

/** Encoded label parts by series id (bounded: a fleet's series, forgotten all at once past the cap). */
const labelBytes = new Map<number, Uint8Array>();
const MAX_CACHED = 1_000_000;

function labelsOf(s: ExportBatch['series'][number]): Uint8Array {
  if (s.seriesId !== undefined) {
    const known = labelBytes.get(s.seriesId);
    if (known !== undefined) return known;
  }
  const one = promSeries({ series: [{ ...s, ts: [], values: [] }] })[0] as PromSeries;
  const bytes = TimeSeriesType.encode({ labels: one.labels }).finish();
  if (s.seriesId !== undefined) {
    if (labelBytes.size >= MAX_CACHED) labelBytes.clear();
    labelBytes.set(s.seriesId, bytes);
  }
  return bytes;
}

/** The uncompressed WriteRequest bytes of a batch. */
export function encodeWriteRequest(batch: ExportBatch): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const s of batch.series) {
    const labels = labelsOf(s);
    const w = protobuf.Writer.create();
    for (let i = 0; i < s.ts.length; i++) w.uint32(18).fork().uint32(9).double(s.values[i] as number).uint32(16).int64(s.ts[i] as number).ldelim();
    const samples = w.finish();
    const len = labels.length + samples.length;
    total += 1 + varintLength(len) + len;
    parts.push(labels, samples);
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const labels = parts[i] as Uint8Array;
    const samples = parts[i + 1] as Uint8Array;
    out[pos++] = 0x0a; // field 1 (timeseries), length-delimited
    pos = putVarint(out, pos, labels.length + samples.length);
    out.set(labels, pos);
    out.set(samples, pos + labels.length);
    pos += labels.length + samples.length;
  }
  return out;
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n >>>= 7;
    len++;
  }
  return len;
}

function putVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}

/** The HTTP body: the WriteRequest, snappy block-compressed. */
export function writeRequestBody(batch: ExportBatch): Uint8Array {
  return compress(encodeWriteRequest(batch));
}
