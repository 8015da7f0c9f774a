/**
 * The OTLP metrics body: an `opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest`
 * (the messages below, with the field numbers of opentelemetry-proto's metrics.proto,
 * common.proto, resource.proto and metrics_service.proto; only what a gauge or a sum of doubles
 * needs), encoded by protobufjs.
 *
 *   one ResourceMetrics per agent   resource: service.name=sigmascope-agent, service.instance.id=<agent>, host.name=<host>
 *     one ScopeMetrics              scope: sigmascope <version>
 *       one Metric per name         name, unit as the semantic conventions give them (metric-catalog.ts)
 *         gauge | sum (cumulative, monotonic) of NumberDataPoints: the series' attributes, time in ns, as_double
 *
 * Names stay OpenTelemetry's (hw.gpu.utilization, gen_ai.client.operation.duration): an
 * OpenTelemetry collector downstream translates them for Prometheus if it must.
 */
import protobuf from 'protobufjs';
import type { ExportBatch, ExportSeries } from '../export-batch.ts';
import { metricShape } from '../metric-catalog.ts';

const PROTO = `
syntax = "proto3";
package opentelemetry.proto;
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
}
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message Metric {
  string name = 1;
  string description = 2;
  string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; }
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; AggregationTemporality aggregation_temporality = 2; bool is_monotonic = 3; }
enum AggregationTemporality { AGGREGATION_TEMPORALITY_UNSPECIFIED = 0; AGGREGATION_TEMPORALITY_DELTA = 1; AGGREGATION_TEMPORALITY_CUMULATIVE = 2; }
message NumberDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
  uint32 flags = 8;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
/** The request and response types, exported for tests that decode what was sent. */
export const ExportMetricsRequestType = root.lookupType('opentelemetry.proto.ExportMetricsServiceRequest');
export const ExportMetricsResponseType = root.lookupType('opentelemetry.proto.ExportMetricsServiceResponse');

const CUMULATIVE = 2;

interface KeyValue {
  key: string;
  value: { string_value: string };
}

const kv = (key: string, value: string): KeyValue => ({ key, value: { string_value: value } });

/** Milliseconds as the decimal string of nanoseconds: exact, where a number would round past 2^53. */
export function msToNanos(ms: number): string {
  return ms === 0 ? '0' : `${Math.trunc(ms)}000000`;
}

/** The request object of a batch (before encoding). */
export function metricsRequest(batch: ExportBatch, version: string): object {
  const byAgent = new Map<string, ExportSeries[]>();
  for (const s of batch.series) {
    const list = byAgent.get(s.agent);
    if (list === undefined) byAgent.set(s.agent, [s]);
    else list.push(s);
  }
  const resource_metrics = [...byAgent.values()].map((list) => {
    const first = list[0] as ExportSeries;
    const byName = new Map<string, ExportSeries[]>();
    for (const s of list) {
      const l = byName.get(s.name);
      if (l === undefined) byName.set(s.name, [s]);
      else l.push(s);
    }
    const metrics = [...byName.entries()].map(([name, group]) => {
      const shape = metricShape(name);
      const data_points = group.flatMap((s) => {
        const attributes = Object.entries(s.labels).map(([k, v]) => kv(k, v));
        return Array.from(s.ts, (t, i) => ({ attributes, time_unix_nano: msToNanos(t), as_double: s.values[i] as number }));
      });
      return shape.kind === 'counter' ? { name, unit: shape.unit, sum: { data_points, aggregation_temporality: CUMULATIVE, is_monotonic: true } } : { name, unit: shape.unit, gauge: { data_points } };
    });
    const attributes = [kv('service.name', 'sigmascope-agent'), kv('service.instance.id', first.agent)];
    if (first.host !== '') attributes.push(kv('host.name', first.host));
    return { resource: { attributes }, scope_metrics: [{ scope: { name: 'sigmascope', version }, metrics }] };
  });
  return { resource_metrics };
}

/** The HTTP body: the encoded ExportMetricsServiceRequest. */
export function metricsRequestBody(batch: ExportBatch, version: string): Uint8Array {
  return ExportMetricsRequestType.encode(ExportMetricsRequestType.fromObject(metricsRequest(batch, version))).finish();
}
