/**
 * A stand-in for a local vLLM server's Prometheus endpoint (GET /metrics), for tests that need
 * the inference server beside the stand-in GPUs: vLLM's metric names and the text format, with
 * an output-token counter that grows at a fixed rate from the server's start, so the tokens in
 * any interval are known in closed form. The repository holds no captured vLLM /metrics (see
 * agent/src/inference/inference-source.test.ts); the names follow vLLM's documentation.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VllmStandIn {
  readonly url: string;
  readonly model: string;
  /** Output tokens per second the counter grows by. */
  readonly tokensPerSecond: number;
  close(): Promise<void>;
}

/** Starts the stand-in on a free loopback port. */
export async function startVllmMetrics(opts: { model: string; tokensPerSecond: number }): Promise<VllmStandIn> {
  const started = performance.now();
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const tokens = (opts.tokensPerSecond * (performance.now() - started)) / 1000;
    const m = `model_name="${opts.model}"`;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",${m}} 4.0
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{engine="0",${m}} 0.0
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{engine="0",${m}} 0.35
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{engine="0",${m}} ${tokens}
`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/metrics`, model: opts.model, tokensPerSecond: opts.tokensPerSecond, close: () => new Promise((r) => server.close(() => r())) };
}
