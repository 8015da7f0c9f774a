/**
 * The shared fixtures hold no captured /metrics of vLLM, TGI or llama.cpp: the expositions below
 * are hand-written with those servers' metric names and the Prometheus text format (a gap to close
 * with real captures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderEmulator } from '../../../tests/support/provider-emulator.ts';
import type { Emulator } from '../../../tests/support/provider-emulator.ts';
import { InMemorySampleSink } from '../pipeline/sample-sink.ts';
import { parseInferenceConfig } from './inference-config.ts';
import { createInferenceSource, InferenceMetric } from './inference-source.ts';
import { parsePrometheusText } from './prometheus-text.ts';

const vllm = (ttftSum: number, ttftCount: number): string => `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.0
vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 7.0
vllm:kv_cache_usage_perc{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.42
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 123456.0
vllm:generation_tokens_total{engine="1",model_name="meta-llama/Llama-3.1-8B-Instruct"} 1000.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="meta-llama/Llama-3.1-8B-Instruct"} 1.0
vllm:time_to_first_token_seconds_sum{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} ${ttftSum}
vllm:time_to_first_token_seconds_count{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} ${ttftCount}
`;

let emu: Emulator;
beforeAll(async () => (emu = await startProviderEmulator()));
afterAll(async () => emu.close());

describe('Prometheus text', () => {
  it('parses labels with escapes, special values and timestamps; skips junk without throwing', () => {
    const { samples, skipped } = parsePrometheusText('a{x="q\\"uote",y="b\\\\s"} 1.5 1700000000000\nb NaN\nc +Inf\n# c\nnot a line at all\nd{x="1"} \n');
    expect(samples.map((s) => [s.name, s.labels, s.value])).toEqual([['a', { x: 'q"uote', y: 'b\\s' }, 1.5], ['b', {}, Number.NaN], ['c', {}, Number.POSITIVE_INFINITY]]);
    expect(skipped).toBe(2);
  });
});

describe('inference server source', () => {
  it('vLLM: queue depth, running, KV cache, and the window mean of server TTFT from histogram deltas', async () => {
    const first = emu.add({ kind: 'static', body: vllm(10, 100) });
    const [t] = parseInferenceConfig([{ kind: 'vllm', url: `${first}/metrics` }], 'inference');
    const src = createInferenceSource({ ...(t as NonNullable<typeof t>) });
    const sink = new InMemorySampleSink();
    await src.collect(1_000, sink);
    expect(src.status().state).toBe('ok');
    const by = (name: string) => sink.samples.filter((s) => s.series.name === name);
    expect(by(InferenceMetric.requestsWaiting).map((s) => s.value)).toEqual([7]);
    expect(by(InferenceMetric.requestsRunning).map((s) => s.value)).toEqual([3]);
    expect(by(InferenceMetric.kvCacheUtilization).map((s) => s.value)).toEqual([0.42]);
    expect(by(InferenceMetric.outputTokens).map((s) => [s.series.labels['gen_ai.request.model'], s.value])).toEqual([['meta-llama/Llama-3.1-8B-Instruct', 124456]]); // both engines
    expect(by(InferenceMetric.requestsWaiting)[0]?.series.labels).toEqual({ 'gen_ai.provider.name': 'vllm', 'gen_ai.request.model': 'meta-llama/Llama-3.1-8B-Instruct', 'server.address': new URL(first).host });
    expect(by(InferenceMetric.serverTimeToFirstToken)).toEqual([]); // one scrape: no window yet

  });

  it('derives the TTFT mean over the window between two scrapes', async () => {
    let n = 0;
    const bodies = [vllm(10, 100), vllm(13, 110)];
    const http = await import('node:http');
    const server = http.createServer((_q, res) => res.end(bodies[Math.min(n++, 1)]));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const src = createInferenceSource({ kind: 'vllm', url: `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`, intervalMs: 500, timeoutMs: 1_000 });
    const sink = new InMemorySampleSink();
    await src.collect(1_000, sink);
    await src.collect(1_500, sink);
    server.close();
    expect(sink.samples.filter((s) => s.series.name === InferenceMetric.serverTimeToFirstToken).map((s) => [s.ts, s.value])).toEqual([[1_500, (13 - 10) / (110 - 100)]]);
  });

  it('Ollama /api/ps: models loaded and their VRAM', async () => {
    const base = emu.add({ kind: 'static', contentType: 'application/json', body: JSON.stringify({ models: [{ name: 'llama3.2:1b', model: 'llama3.2:1b', size: 2_000_000_000, size_vram: 1_900_000_000, expires_at: '2025-01-01T00:00:00Z' }] }) });
    const src = createInferenceSource({ kind: 'ollama', url: `${base}/api/ps`, intervalMs: 500, timeoutMs: 1_000 });
    const sink = new InMemorySampleSink();
    await src.collect(5_000, sink);
    expect(sink.samples.map((s) => [s.series.name, s.series.labels['gen_ai.request.model'] ?? null, s.value])).toEqual([
      [InferenceMetric.modelsLoaded, null, 1],
      [InferenceMetric.modelMemoryUsage, 'llama3.2:1b', 1_900_000_000],
    ]);
  });

  it('a server that is down makes the source degraded with the reason, and never throws', async () => {
    const src = createInferenceSource({ kind: 'tgi', url: 'http://127.0.0.1:1/metrics', intervalMs: 500, timeoutMs: 500 });
    const sink = new InMemorySampleSink();
    await src.collect(1_000, sink);
    expect(src.status()).toMatchObject({ state: 'degraded' });
    expect(src.status().detail).toMatch(/connect/);
    expect(sink.samples).toEqual([]);
  });
});
