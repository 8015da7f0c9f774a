/**
 * run.json's summary of one target, computed from exactly the records written to
 * requests.jsonl (so anyone can recompute it from that file):
 *
 * - ttft_ms, tpot_ms, e2e_ms: over successful requests; itl_ms: over every gap between content
 *   chunks of successful requests; each {p50, p90, p95, p99, mean} (numpy's linear percentiles).
 * - The window is from the first request's scheduled time to the last one's end; rates are per
 *   second of it: requests_per_s (successful), output_tokens_per_s, goodput_rps (successful and
 *   within every SLO set, as vLLM defines goodput; null when the suite sets no SLO).
 * - check_pass_rate: passed / checked, null when no request was checked; cost_usd: the sum of
 *   the priced requests (null when none had a price).
 */
import { latencySummary } from '@sigmascope/protocol/stats/latency-summary';
import type { TargetSummary } from '@sigmascope/protocol/bench-records';
import type { RequestRecord } from '../output/request-record.ts';
import type { Slo } from '../suite/suite.ts';

const values = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null && Number.isFinite(x));

/** Whether a successful request met every SLO that is set. */
export function meetsSlo(r: RequestRecord, slo: Slo): boolean {
  if (!r.ok) return false;
  if (slo.ttft_ms !== null && (r.ttft_ms === null || r.ttft_ms > slo.ttft_ms)) return false;
  if (slo.tpot_ms !== null && r.tpot_ms !== null && r.tpot_ms > slo.tpot_ms) return false;
  if (slo.e2e_ms !== null && r.e2e_ms > slo.e2e_ms) return false;
  return true;
}

/** The summary of `records` (all of one target, or of one stage). */
export function summarize(records: readonly RequestRecord[], slo: Slo): TargetSummary {
  const ok = records.filter((r) => r.ok);
  const start = Math.min(...records.map((r) => r.scheduled_ms));
  const end = Math.max(...records.map((r) => r.sent_ms + r.e2e_ms));
  const windowS = records.length === 0 ? 0 : Math.max(0, end - start) / 1000;
  const per = (n: number): number | null => (windowS > 0 ? n / windowS : null);
  const outputTokens = ok.reduce((s, r) => s + (r.output_tokens ?? 0), 0);
  const checked = records.filter((r) => r.check !== null);
  const costs = values(records.map((r) => r.cost_usd));
  const anySlo = slo.ttft_ms !== null || slo.tpot_ms !== null || slo.e2e_ms !== null;
  return {
    requests: records.length,
    errors: records.length - ok.length,
    ttft_ms: latencySummary(values(ok.map((r) => r.ttft_ms))),
    tpot_ms: latencySummary(values(ok.map((r) => r.tpot_ms))),
    itl_ms: latencySummary(ok.flatMap((r) => r.itl_ms)),
    e2e_ms: latencySummary(ok.map((r) => r.e2e_ms)),
    output_tokens_per_s: per(outputTokens),
    requests_per_s: per(ok.length),
    goodput_rps: anySlo ? per(ok.filter((r) => meetsSlo(r, slo)).length) : null,
    check_pass_rate: checked.length === 0 ? null : checked.filter((r) => r.check?.pass === true).length / checked.length,
    input_tokens: ok.reduce((s, r) => s + (r.input_tokens ?? 0), 0),
    output_tokens: outputTokens,
    cost_usd: costs.length === 0 ? null : costs.reduce((s, c) => s + c, 0),
    window_s: windowS,
  };
}
