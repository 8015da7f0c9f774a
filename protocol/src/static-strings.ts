/**
 * The protocol's static string table: metric names, label names and common label values that
 * nearly every batch carries. A batch refers to entry i of this table with string index i, and to
 * its own `strs[j]` with index STATIC_STRINGS.length + j, so the names every frame repeats cost
 * one byte instead of twenty (the idea of HTTP/2's HPACK static table).
 *
 * FROZEN for protocol version 1: never reorder, change or append. A new table is a new protocol
 * version, and a collector keeps the table of every version it accepts.
 */
export const STATIC_STRINGS: readonly string[] = Object.freeze([
  // host
  'system.cpu.utilization', 'system.cpu.load_average.1m', 'system.memory.usage', 'system.memory.limit', 'system.memory.utilization',
  'system.network.io', 'system.disk.io',
  // GPU
  'hw.gpu.utilization', 'hw.gpu.memory.usage', 'hw.gpu.memory.limit', 'hw.gpu.memory.utilization', 'hw.gpu.temperature',
  'hw.gpu.power.draw', 'hw.gpu.clock.graphics', 'hw.gpu.clock.memory', 'hw.errors',
  // probes
  'gen_ai.client.operation.duration', 'gen_ai.client.operation.time_to_first_chunk', 'gen_ai.client.operation.time_per_output_chunk',
  'gen_ai.client.token.usage', 'sigmascope.probe.dns.duration', 'sigmascope.probe.connect.duration', 'sigmascope.probe.tls.duration',
  'sigmascope.probe.time_to_first_byte', 'sigmascope.probe.output_tokens_per_second', 'sigmascope.probe.cost',
  // local inference servers
  'gen_ai.server.time_to_first_token', 'gen_ai.server.time_per_output_token', 'sigmascope.inference.requests.waiting',
  'sigmascope.inference.requests.running', 'sigmascope.inference.kv_cache.utilization', 'sigmascope.inference.models.loaded',
  'sigmascope.inference.model.memory.usage',
  // the agent itself
  'sigmascope.agent.cpu.utilization', 'sigmascope.agent.memory.rss',
  // label names
  'cpu.mode', 'system.memory.state', 'network.io.direction', 'network.interface.name', 'disk.io.direction', 'system.device',
  'hw.id', 'hw.type', 'hw.model', 'error.type', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.operation.name', 'gen_ai.token.type',
  'server.address', 'sigmascope.demo',
  // label values
  'user', 'system', 'idle', 'iowait', 'nice', 'irq', 'softirq', 'steal', 'used', 'free', 'cached', 'buffers',
  'receive', 'transmit', 'read', 'write', 'chat', 'input', 'output', 'true', 'gpu', 'lo', 'eth0',
]);

const INDEX = new Map<string, number>(STATIC_STRINGS.map((s, i) => [s, i]));

/** The static index of `s`, or undefined when the batch must carry it. */
export function staticIndex(s: string): number | undefined {
  return INDEX.get(s);
}

/** The string at index `i` of a batch whose own strings are `strs`; undefined when out of range. */
export function stringAt(i: number, strs: readonly string[]): string | undefined {
  return i < STATIC_STRINGS.length ? STATIC_STRINGS[i] : strs[i - STATIC_STRINGS.length];
}
