import { describe, expect, it } from 'vitest';
import { NameBook, prometheusLabelName, prometheusMetricName, translateMetricName } from './prometheus-names.ts';

describe('OpenTelemetry → Prometheus names', () => {
  it('follows the examples of the OpenTelemetry Collector translator (pkg/translator/prometheus README)', () => {
    expect(translateMetricName('system.filesystem.usage', { unit: 'By', kind: 'gauge' })).toBe('system_filesystem_usage_bytes');
    expect(translateMetricName('system.network.dropped', { unit: '{packets}', kind: 'gauge' })).toBe('system_network_dropped');
    expect(translateMetricName('system.network.dropped', { unit: 'packets', kind: 'gauge' })).toBe('system_network_dropped_packets');
    expect(translateMetricName('system.memory.utilization', { unit: '1', kind: 'gauge' })).toBe('system_memory_utilization_ratio');
    expect(translateMetricName('(lambda).function.executions(#)', { unit: '', kind: 'gauge' })).toBe('lambda_function_executions');
    expect(translateMetricName('system.io', { unit: 'By', kind: 'counter' })).toBe('system_io_bytes_total');
    expect(translateMetricName('request.rate', { unit: '{request}/s', kind: 'gauge' })).toBe('request_rate_per_second');
    // A counter's `1` is a count, not a ratio; a suffix already there is not doubled.
    expect(translateMetricName('jobs.done', { unit: '1', kind: 'counter' })).toBe('jobs_done_total');
    expect(translateMetricName('wait_seconds', { unit: 's', kind: 'gauge' })).toBe('wait_seconds');
  });

  it('names the metrics of the design with their unit and type suffixes', () => {
    expect(prometheusMetricName('system.cpu.utilization')).toBe('system_cpu_utilization_ratio');
    expect(prometheusMetricName('system.network.io')).toBe('system_network_io_bytes_total');
    expect(prometheusMetricName('hw.gpu.memory.usage')).toBe('hw_gpu_memory_usage_bytes');
    expect(prometheusMetricName('hw.gpu.temperature')).toBe('hw_gpu_temperature_celsius');
    expect(prometheusMetricName('hw.gpu.power.draw')).toBe('hw_gpu_power_draw_watts');
    expect(prometheusMetricName('hw.gpu.clock.graphics')).toBe('hw_gpu_clock_graphics_hertz');
    expect(prometheusMetricName('hw.errors')).toBe('hw_errors_total');
    expect(prometheusMetricName('gen_ai.client.operation.duration')).toBe('gen_ai_client_operation_duration_seconds');
    expect(prometheusMetricName('gen_ai.client.token.usage')).toBe('gen_ai_client_token_usage');
    expect(prometheusMetricName('sigmascope.probe.output_tokens_per_second')).toBe('sigmascope_probe_output_tokens_per_second');
    expect(prometheusMetricName('sigmascope.agent.info')).toBe('sigmascope_agent_info');
    expect(prometheusMetricName('my.own.metric')).toBe('my_own_metric');
  });

  it('escapes label names Prometheus would refuse or reserve', () => {
    expect(prometheusLabelName('hw.id')).toBe('hw_id');
    expect(prometheusLabelName('gen_ai.provider.name')).toBe('gen_ai_provider_name');
    expect(prometheusLabelName('9lives')).toBe('key_9lives');
    expect(prometheusLabelName('__name__')).toBe('key__name__');
    expect(prometheusLabelName('a-b c')).toBe('a_b_c');
  });

  it('reads names back to the OpenTelemetry names it knows, and leaves others as they are', () => {
    const book = new NameBook(['hw.id', 'gen_ai.provider.name']);
    expect(book.metricOf('hw_gpu_utilization_ratio')).toBe('hw.gpu.utilization');
    expect(book.metricOf('system_network_io_bytes_total')).toBe('system.network.io');
    expect(book.labelOf('hw_id')).toBe('hw.id');
    expect(book.labelOf('gen_ai_provider_name')).toBe('gen_ai.provider.name');
    expect(book.labelOf('unknown_label')).toBe('unknown_label');
    expect(book.metricOf('up')).toBe('up');
  });
});
