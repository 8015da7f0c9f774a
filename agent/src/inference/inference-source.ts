/**
 * A local inference server as a telemetry source: each due tick it reads the server's own
 * numbers (Prometheus /metrics of vLLM, TGI, llama.cpp server; Ollama's /api/ps) and writes
 * them as series beside the GPU's: queue depth, running requests, KV-cache use, the output-token
 * counter (for energy per token, beside the GPUs' power), and the
 * server-side TTFT and inter-token latency as the mean over the last scrape window (from the
 * histograms' _sum/_count deltas). A server that is down makes the source `degraded` with the
 * reason; it never throws into the sampler.
 */
import { Label } from '@sigmascope/protocol/metrics';
import { series } from '@sigmascope/protocol/series';
import type { SampleSink } from '../pipeline/sample-sink.ts';
import { timedRequest } from '../probes/http-transport.ts';
import type { SourceStatus, TelemetrySource } from '../telemetry/source.ts';
import type { InferenceKind, InferenceTarget } from './inference-config.ts';
import { parsePrometheusText } from './prometheus-text.ts';
import type { PromSample } from './prometheus-text.ts';

/** Series names of inference servers (proposed for protocol/src/metrics.ts). */
export const InferenceMetric = {
  requestsWaiting: 'sigmascope.inference.requests.waiting',
  requestsRunning: 'sigmascope.inference.requests.running',
  kvCacheUtilization: 'sigmascope.inference.kv_cache.utilization',
  serverTimeToFirstToken: 'gen_ai.server.time_to_first_token',
  serverTimePerOutputToken: 'gen_ai.server.time_per_output_token',
  modelsLoaded: 'sigmascope.inference.models.loaded',
  modelMemoryUsage: 'sigmascope.inference.model.memory.usage',
  /** The server's own count of output tokens since it started (a counter: it drops to 0 on a restart). */
  outputTokens: 'sigmascope.inference.output_tokens',
} as const;

type Scalar = 'requestsWaiting' | 'requestsRunning' | 'kvCacheUtilization';
type Counter = 'outputTokens';
type Histogram = 'serverTimeToFirstToken' | 'serverTimePerOutputToken';

/** Which exported metric of each server means what; the first name present wins (servers renamed some). */
const NAMES: Record<Exclude<InferenceKind, 'ollama'>, Record<Scalar | Histogram | Counter, readonly string[]>> = {
  vllm: {
    requestsWaiting: ['vllm:num_requests_waiting'], requestsRunning: ['vllm:num_requests_running'],
    kvCacheUtilization: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
    serverTimeToFirstToken: ['vllm:time_to_first_token_seconds'],
    serverTimePerOutputToken: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
    outputTokens: ['vllm:generation_tokens_total'],
  },
  tgi: {
    requestsWaiting: ['tgi_queue_size'], requestsRunning: ['tgi_batch_current_size'], kvCacheUtilization: [],
    serverTimeToFirstToken: [], serverTimePerOutputToken: ['tgi_request_mean_time_per_token_duration'],
    // A histogram of tokens per request: its _sum is every token generated.
    outputTokens: ['tgi_request_generated_tokens_sum'],
  },
  llamacpp: {
    requestsWaiting: ['llamacpp:requests_deferred'], requestsRunning: ['llamacpp:requests_processing'],
    kvCacheUtilization: ['llamacpp:kv_cache_usage_ratio'], serverTimeToFirstToken: [], serverTimePerOutputToken: [],
    outputTokens: ['llamacpp:tokens_predicted_total'],
  },
};

const PROVIDER: Record<InferenceKind, string> = { vllm: 'vllm', tgi: 'tgi', llamacpp: 'llama.cpp', ollama: 'ollama' };

/** Creates the source for one server. No I/O until the first due tick. */
export function createInferenceSource(t: InferenceTarget): TelemetrySource {
  const address = new URL(t.url).host;
  let state: SourceStatus = { state: 'starting' };
  let lastAt = -Infinity;
  let busy = false;
  const previous = new Map<string, { sum: number; count: number }>();

  const base = (labels: Readonly<Record<string, string>>): Record<string, string> => {
    const out: Record<string, string> = { [Label.genAiProvider]: PROVIDER[t.kind], 'server.address': address };
    const model = labels.model_name ?? labels.model_id ?? labels.model;
    if (model !== undefined) out[Label.genAiModel] = model;
    return out;
  };

  const fromPrometheus = (kind: Exclude<InferenceKind, 'ollama'>, samples: PromSample[], ts: number, sink: SampleSink): void => {
    const byName = new Map<string, PromSample[]>();
    for (const s of samples) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
    const first = (names: readonly string[], suffix = ''): PromSample[] => {
      for (const n of names) {
        const found = byName.get(n + suffix);
        if (found) return found;
      }
      return [];
    };
    for (const key of ['requestsWaiting', 'requestsRunning', 'kvCacheUtilization'] as const) {
      for (const s of first(NAMES[kind][key])) if (Number.isFinite(s.value)) sink.add(series(InferenceMetric[key], base(s.labels)), ts, s.value);
    }
    // One counter per model: a server with several engines (vLLM's data parallel) counts per engine.
    const tokens = new Map<string, { labels: Record<string, string>; value: number }>();
    for (const s of first(NAMES[kind].outputTokens)) {
      if (!Number.isFinite(s.value)) continue;
      const labels = base(s.labels);
      const k = JSON.stringify(labels);
      const t = tokens.get(k);
      if (t === undefined) tokens.set(k, { labels, value: s.value });
      else t.value += s.value;
    }
    for (const t of tokens.values()) sink.add(series(InferenceMetric.outputTokens, t.labels), ts, t.value);
    for (const key of ['serverTimeToFirstToken', 'serverTimePerOutputToken'] as const) {
      const counts = first(NAMES[kind][key], '_count');
      for (const sum of first(NAMES[kind][key], '_sum')) {
        const labelsKey = JSON.stringify(sum.labels);
        const count = counts.find((c) => JSON.stringify(c.labels) === labelsKey);
        if (!count) continue;
        const id = `${key}${labelsKey}`;
        const prev = previous.get(id);
        previous.set(id, { sum: sum.value, count: count.value });
        // Mean over the window since the last scrape; nothing when no request finished (or the server restarted).
        if (prev && count.value > prev.count && sum.value >= prev.sum) sink.add(series(InferenceMetric[key], base(sum.labels)), ts, (sum.value - prev.sum) / (count.value - prev.count));
      }
    }
  };

  const fromOllama = (text: string, ts: number, sink: SampleSink): void => {
    const models = (JSON.parse(text) as { models?: unknown }).models;
    if (!Array.isArray(models)) throw new Error('no models list in /api/ps');
    sink.add(series(InferenceMetric.modelsLoaded, base({})), ts, models.length);
    for (const m of models as Record<string, unknown>[]) {
      const name = typeof m.name === 'string' ? m.name : typeof m.model === 'string' ? m.model : null;
      const vram = m.size_vram ?? m.size;
      if (name !== null && typeof vram === 'number') sink.add(series(InferenceMetric.modelMemoryUsage, base({ model: name })), ts, vram);
    }
  };

  return {
    name: `inference:${t.kind}@${address}`,
    async start() {},
    async collect(ts: number, sink: SampleSink) {
      if (busy || ts - lastAt < t.intervalMs - 50) return;
      busy = true;
      lastAt = ts;
      try {
        let text = '';
        const out = await timedRequest({ url: t.url, method: 'GET', timeoutMs: t.timeoutMs, idleTimeoutMs: t.timeoutMs, maxBytes: 8 * 1024 * 1024, onData: (c) => void (text += c.toString('utf8')) });
        if (!out.ok) throw new Error(`${out.errorType}: ${out.message}`);
        if (out.status !== 200) throw new Error(`HTTP ${out.status}`);
        if (t.kind === 'ollama') fromOllama(text, ts, sink);
        else fromPrometheus(t.kind, parsePrometheusText(text).samples, ts, sink);
        state = { state: 'ok', info: { kind: t.kind, url: t.url } };
      } catch (err) {
        state = { state: 'degraded', detail: `${t.url}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300), info: { kind: t.kind, url: t.url } };
      } finally {
        busy = false;
      }
    },
    status: () => state,
    async stop() {},
  };
}
