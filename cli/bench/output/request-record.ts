/**
 * One line of requests.jsonl (DESIGN.md's fields, then `ttfb_ms`, `cost_usd` and, in a sweep, the
 * stage's `rate`). Times are ms on the monotonic clock: `scheduled_ms` (when the schedule wanted
 * the request) and `sent_ms` (when it actually started: the connection opened) from the start of
 * the run; `ttfb_ms`, `ttft_ms`, `e2e_ms` from `sent_ms`, as vLLM's benchmarks time from just
 * before the request (the body is built before the clock starts); `itl_ms` the gaps between
 * content chunks. TPOT as vLLM defines it: (e2e − ttft) / (output tokens − 1). `connect_ms` is the
 * part of those times spent opening a connection (DNS, TCP, TLS): 0 when the request went out on
 * a kept-alive one, null when it never reached a connection.
 */
import type { ProbeResult } from '@sigmascope/agent/probes/probe';
import type { CheckResult } from '../dataset/checks.ts';

export interface RequestRecord {
  readonly target: string;
  readonly prompt_id: string;
  readonly scheduled_ms: number;
  readonly sent_ms: number;
  readonly ok: boolean;
  readonly error_type: string | null;
  readonly status: number | null;
  /** Opening the connection this request went out on: DNS + TCP connect + TLS (the probe's three phases); 0 on a reused connection. */
  readonly connect_ms: number | null;
  /** Response headers, from sent_ms: the server's queueing and prefill before it answers. */
  readonly ttfb_ms: number | null;
  readonly ttft_ms: number | null;
  readonly tpot_ms: number | null;
  readonly itl_ms: readonly number[];
  readonly e2e_ms: number;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly check: CheckResult | null;
  readonly cost_usd: number | null;
  readonly rate?: number;
}

const ms = (v: number): number => Math.round(v * 1000) / 1000;

/** Time spent opening the connection; a request written (or answered) without a connect phase reused one. */
function connectMs(t: ProbeResult['timings']): number | null {
  if (t.connectMs !== null) return ms((t.dnsMs ?? 0) + t.connectMs + (t.tlsMs ?? 0));
  return t.sentMs !== null || t.ttfbMs !== null ? 0 : null;
}

/** The record of one finished request. `calledAt` is when the probe was called, from run start. */
export function requestRecord(o: { target: string; promptId: string; scheduledMs: number; calledAt: number; result: ProbeResult; check: CheckResult | null; rate: number | null }): RequestRecord {
  const r = o.result;
  const ok = r.status === 'ok';
  const ttft = r.timings.ttftMs === null ? null : ms(r.timings.ttftMs);
  const e2e = ms(r.timings.totalMs);
  const out = r.outputTokens;
  return {
    target: o.target,
    prompt_id: o.promptId,
    scheduled_ms: ms(o.scheduledMs),
    sent_ms: ms(o.calledAt),
    ok,
    error_type: r.errorType,
    status: r.httpStatus,
    connect_ms: connectMs(r.timings),
    ttfb_ms: r.timings.ttfbMs === null ? null : ms(r.timings.ttfbMs),
    ttft_ms: ttft,
    tpot_ms: ok && ttft !== null && out !== null && out > 1 ? ms((e2e - ttft) / (out - 1)) : null,
    itl_ms: r.chunkGapsMs.map(ms),
    e2e_ms: e2e,
    input_tokens: r.inputTokens,
    output_tokens: out,
    check: o.check,
    cost_usd: r.costUsd,
    ...(o.rate !== null ? { rate: o.rate } : {}),
  };
}
