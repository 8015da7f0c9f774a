/**
 * A local streaming server with a known latency distribution, for benchmark tests: the provider
 * emulator replaying a recorded vLLM Chat Completions stream, where the request whose prompt is
 * `prompt N` gets its first token after the N-th TTFT of a real capture (LLMPerf's Groq
 * Llama-2-70B run, tests/fixtures/latency), scaled (by 1/10 unless asked otherwise) and multiplied
 * by the scenario's `factor`, and its chunks every `gapMs`. The same prompt gets the same delay in every run, so an
 * A/A pair is served the same distribution and a factor of 1.15 is a 15 % TTFT regression.
 *
 * `served` reads back, per prompt, what the server did on its own clock: the time from the
 * request's arrival (its head read, the first moment this server knows of it) to the response
 * headers, to the first content write (TTFT), to the last write (end to end), and the gaps between
 * content writes. A client's own times of the same request start before that arrival and end after
 * those writes, so theirs are never shorter; the difference is the client's own overhead and the
 * two trips over loopback.
 */
import { readFileSync } from 'node:fs';
import { HTTP_PROVIDERS } from '../../agent/src/probes/registry.ts';
import { fixture } from './fixtures.ts';
import { pieces, startProviderEmulator } from './provider-emulator.ts';
import type { EmulatedRequest, Emulator } from './provider-emulator.ts';

const BODY = readFileSync(fixture('providers', 'vllm', 'pydantic-ai__crusoe-vllm-chat-stream-include-usage.body.sse'), 'utf8');
/** The text the recorded stream completes: what checks see. */
export const COMPLETION = '1, 2, 3, 4, 5';
/** Output tokens the recording reports. */
export const OUTPUT_TOKENS = 14;

/** TTFTs (ms) of the real capture, in file order. */
export const CAPTURED_TTFT_MS: readonly number[] = readFileSync(fixture('latency', 'llmperf-leaderboard__groq_70b.csv'), 'utf8')
  .trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]) * 1000);

const CONTENT_PIECES = pieces(BODY).flatMap((piece, i) => {
  const p = HTTP_PROVIDERS['openai-compatible'].createParser();
  return p.push(piece) + p.end() > 0 ? [i] : [];
});

export interface Served {
  /** From the request's arrival to the response headers. */
  readonly headersMs: number;
  readonly ttftMs: number;
  readonly e2eMs: number;
  readonly gapsMs: readonly number[];
}

export interface LatencyServer {
  readonly emulator: Emulator;
  /** A scenario's base URL: TTFT = captured TTFT × scale (default 1/10) × factor, chunk gaps `gapMs`. */
  add(factor: number, o?: { gapMs?: number; scale?: number }): string;
  /** What the server did for each prompt of the scenario at `url`, by prompt number. */
  served(url: string): Map<number, Served>;
  close(): Promise<void>;
}

/** The prompt number of a Chat Completions request body (`prompt N`). */
export function promptNumber(req: EmulatedRequest): number {
  const m = /prompt (\d+)/.exec(req.body);
  if (!m) throw new Error(`no prompt number in ${req.body.slice(0, 200)}`);
  return Number(m[1]);
}

/** The planned TTFT of prompt `n` at `factor` (and `scale` of the capture's times). */
export function plannedTtftMs(n: number, factor: number, scale = 0.1): number {
  return (CAPTURED_TTFT_MS[n % CAPTURED_TTFT_MS.length] as number) * scale * factor;
}

/** Starts the server on loopback. */
export async function startLatencyServer(): Promise<LatencyServer> {
  const emulator = await startProviderEmulator();
  const first = CONTENT_PIECES[0] as number;
  return {
    emulator,
    add(factor, o = {}) {
      const gapMs = o.gapMs ?? 2;
      // Pieces before the first content chunk (the role delta) go out just before it.
      return emulator.add({ kind: 'replay', body: BODY, plan: (req) => ({ firstAtMs: Math.max(0, plannedTtftMs(promptNumber(req), factor, o.scale) - first * gapMs), gapMs }) });
    },
    served(url) {
      const id = /\/s\/(\d+)$/.exec(url)?.[1];
      const out = new Map<number, Served>();
      for (const r of emulator.requests) {
        if (r.scenario !== id || r.writes.length < pieces(BODY).length) continue;
        const at = CONTENT_PIECES.map((i) => (r.writes[i] as number) - r.arrivedAt);
        out.set(promptNumber(r), { headersMs: (r.headersSentAt as number) - r.arrivedAt, ttftMs: at[0] as number, e2eMs: (r.writes.at(-1) as number) - r.arrivedAt, gapsMs: at.slice(1).map((v, i) => v - (at[i] as number)) });
      }
      return out;
    },
    close: () => emulator.close(),
  };
}
