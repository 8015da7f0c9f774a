/** Prometheus text for the agent's own counters (`GET /metrics`). */
import type { AgentStatus } from './agent-status.ts';

export function agentMetricsText(s: AgentStatus): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, values: [Record<string, string>, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of values) {
      const l = Object.entries(labels).map(([k, val]) => `${k}=${JSON.stringify(val)}`).join(',');
      lines.push(`${name}${l ? `{${l}}` : ''} ${v}`);
    }
  };
  metric('sigmascope_agent_samples_produced_total', 'counter', 'Samples sealed into frames.', [[{}, s.samples.produced]]);
  metric('sigmascope_agent_samples_acked_total', 'counter', 'Samples the collector acknowledged.', [[{}, s.samples.acked]]);
  metric('sigmascope_agent_samples_dropped_total', 'counter', 'Samples dropped, by reason.', Object.entries(s.samples.dropped).map(([reason, v]) => [{ reason }, v]));
  metric('sigmascope_agent_samples_buffered', 'gauge', 'Samples waiting in the buffer.', [[{}, s.samples.buffered]]);
  metric('sigmascope_agent_buffer_bytes', 'gauge', 'Frame bytes in the buffer.', [[{}, s.buffer.bytes]]);
  metric('sigmascope_agent_buffer_frames', 'gauge', 'Frames in the buffer.', [[{}, s.buffer.frames]]);
  metric('sigmascope_agent_ticks_total', 'counter', 'Sampler ticks.', [[{}, s.sampler.ticks]]);
  metric('sigmascope_agent_late_ticks_total', 'counter', 'Ticks skipped because the previous one ran late.', [[{}, s.sampler.lateTicks]]);
  metric('sigmascope_agent_memory_bytes', 'gauge', 'Memory of the agent process by kind (rss, heap_used, heap_total, external, array_buffers).', [
    [{ kind: 'rss' }, s.memory.rss], [{ kind: 'heap_used' }, s.memory.heapUsed], [{ kind: 'heap_total' }, s.memory.heapTotal],
    [{ kind: 'external' }, s.memory.external], [{ kind: 'array_buffers' }, s.memory.arrayBuffers],
  ]);
  metric('sigmascope_agent_frames_in_flight', 'gauge', 'Frames sent to the collector and not acknowledged yet.', [[{}, s.collector.framesInFlight]]);
  metric('sigmascope_agent_ack_timeouts_total', 'counter', 'Connections dropped because the collector acknowledged nothing within uplink.ackTimeoutMs.', [[{}, s.collector.ackTimeouts]]);
  metric('sigmascope_agent_collector_connected', 'gauge', '1 while connected to the collector.', [[{}, s.collector.state === 'connected' ? 1 : 0]]);
  return `${lines.join('\n')}\n`;
}
