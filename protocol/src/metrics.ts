/**
 * Metric and label names, following OpenTelemetry semantic conventions where one exists.
 * Units: seconds, bytes and ratios (0..1). Names of our own start with `sigmascope.`.
 * Never add deprecated names (`gen_ai.system`, `gen_ai.usage.prompt_tokens`).
 */
export const Metric = {
  cpuUtilization: 'system.cpu.utilization',
  cpuLoadAverage1m: 'system.cpu.load_average.1m',
  memoryUsage: 'system.memory.usage',
  memoryLimit: 'system.memory.limit',
  memoryUtilization: 'system.memory.utilization',
  networkIo: 'system.network.io',
  diskIo: 'system.disk.io',

  gpuUtilization: 'hw.gpu.utilization',
  gpuMemoryUsage: 'hw.gpu.memory.usage',
  gpuMemoryLimit: 'hw.gpu.memory.limit',
  gpuMemoryUtilization: 'hw.gpu.memory.utilization',
  gpuTemperature: 'hw.gpu.temperature',
  gpuPowerDraw: 'hw.gpu.power.draw',
  gpuClockGraphics: 'hw.gpu.clock.graphics',
  gpuClockMemory: 'hw.gpu.clock.memory',
  hwErrors: 'hw.errors',
  /** nvidia-smi's index of the GPU (an info gauge: `hw.id` stays the uuid, which survives a reboot's renumbering). */
  gpuIndex: 'sigmascope.gpu.index',

  genAiDuration: 'gen_ai.client.operation.duration',
  genAiTimeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
  genAiTimePerOutputChunk: 'gen_ai.client.operation.time_per_output_chunk',
  genAiTokenUsage: 'gen_ai.client.token.usage',

  probeDnsDuration: 'sigmascope.probe.dns.duration',
  probeConnectDuration: 'sigmascope.probe.connect.duration',
  probeTlsDuration: 'sigmascope.probe.tls.duration',
  probeTimeToFirstByte: 'sigmascope.probe.time_to_first_byte',
  probeOutputTokensPerSecond: 'sigmascope.probe.output_tokens_per_second',
  probeCost: 'sigmascope.probe.cost',

  genAiServerTimeToFirstToken: 'gen_ai.server.time_to_first_token',
  genAiServerTimePerOutputToken: 'gen_ai.server.time_per_output_token',
  inferenceRequestsWaiting: 'sigmascope.inference.requests.waiting',
  inferenceRequestsRunning: 'sigmascope.inference.requests.running',
  inferenceKvCacheUtilization: 'sigmascope.inference.kv_cache.utilization',
  inferenceModelsLoaded: 'sigmascope.inference.models.loaded',
  inferenceModelMemoryUsage: 'sigmascope.inference.model.memory.usage',

  inferenceOutputTokens: 'sigmascope.inference.output_tokens',

  /** Per watched series, its anomaly score (robust σ); label `sigmascope.anomaly.metric` names the series' metric. */
  anomalyScore: 'sigmascope.anomaly.score',

  agentCpuUtilization: 'sigmascope.agent.cpu.utilization',
  agentMemoryRss: 'sigmascope.agent.memory.rss',
} as const;

export type MetricName = (typeof Metric)[keyof typeof Metric];

/** Label names used by the built-in sources and probes. */
export const Label = {
  cpuMode: 'cpu.mode',
  memoryState: 'system.memory.state',
  networkDirection: 'network.io.direction',
  networkInterface: 'network.interface.name',
  diskDirection: 'disk.io.direction',
  device: 'system.device',
  hwId: 'hw.id',
  hwType: 'hw.type',
  hwModel: 'hw.model',
  errorType: 'error.type',
  genAiProvider: 'gen_ai.provider.name',
  genAiModel: 'gen_ai.request.model',
  genAiOperation: 'gen_ai.operation.name',
  genAiTokenType: 'gen_ai.token.type',
  serverAddress: 'server.address',
  demo: 'sigmascope.demo',
  anomalyMetric: 'sigmascope.anomaly.metric',
} as const;
