/**
 * The `demo` provider for `sigmascope start --demo`: an emulated LLM endpoint inside the agent, no
 * network, no key. It returns results shaped like a real streaming probe (a log-normal TTFT near
 * 300 ms, 20–40 ms chunk gaps, a rare 429 or stall) from a seeded generator, so a new user sees
 * live probe charts at once. The runner labels every demo series `sigmascope.demo="true"`, so
 * demo data can never pass for a real provider's.
 */
import { seededUniform } from '@sigmascope/protocol/spc/seeded-normal';
import { ErrorType } from './error-type.ts';
import { costUsd } from './prices.ts';
import type { PriceTable } from './prices.ts';
import type { Probe, ProbeRequest, ProbeResult } from './probe.ts';

export interface DemoOptions {
  readonly model: string;
  readonly prices: PriceTable;
  readonly seed?: number;
  readonly wallClock?: () => number;
}

/** Creates the demo probe. */
export function createDemoProbe(o: DemoOptions): Probe {
  const rnd = seededUniform(o.seed ?? Date.now());
  const wall = o.wallClock ?? Date.now;
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return {
    provider: 'demo',
    genAiProvider: 'demo',
    model: o.model,
    async run(req: ProbeRequest): Promise<ProbeResult> {
      const startedAt = wall();
      const dnsMs = null;
      const connectMs = 0.2 + rnd() * 0.3;
      const ttfbMs = connectMs + 150 * Math.exp(0.25 * normal());
      const roll = rnd();
      const base = { startedAt, message: null, retryAfterMs: null, bytesRead: 0, inputTokens: null, outputTokens: null, tokensPerS: null, costUsd: null, chunks: 0, chunkGapsMs: [] as number[] };
      if (roll < 0.02) {
        return { ...base, status: 'failed', errorType: ErrorType.rateLimited, httpStatus: 429, message: 'demo: rate limited', retryAfterMs: 1_000, timings: { dnsMs, connectMs, tlsMs: null, sentMs: connectMs, ttfbMs, ttftMs: null, totalMs: ttfbMs } };
      }
      if (roll < 0.03) {
        return { ...base, status: 'timeout', errorType: ErrorType.timeout, httpStatus: 200, message: 'demo: stream stalled', timings: { dnsMs, connectMs, tlsMs: null, sentMs: connectMs, ttfbMs, ttftMs: null, totalMs: ttfbMs + 15_000 } };
      }
      const ttftMs = ttfbMs + 120 * Math.exp(0.3 * normal());
      const outputTokens = req.maxTokens;
      const gaps = Array.from({ length: outputTokens - 1 }, () => Math.max(1, 28 + 6 * normal()));
      const totalMs = ttftMs + gaps.reduce((a, b) => a + b, 0) + 1;
      const inputTokens = 12 + Math.ceil(req.prompt.length / 4);
      return {
        ...base, status: 'ok', errorType: null, httpStatus: 200, bytesRead: 180 * outputTokens,
        timings: { dnsMs, connectMs, tlsMs: null, sentMs: connectMs, ttfbMs, ttftMs, totalMs },
        chunks: outputTokens, chunkGapsMs: gaps, inputTokens, outputTokens,
        tokensPerS: gaps.length > 0 ? outputTokens / ((totalMs - ttftMs) / 1000) : null,
        costUsd: costUsd(o.prices, o.model, inputTokens, outputTokens),
      };
    },
  };
}
