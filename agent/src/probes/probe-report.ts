/**
 * The report of `sigmascope probe`: each run as the flat JSON line of the documented contract
 * (snake_case, ms rounded to µs), a summary with p50/p95/max of TTFT and total, and the same as a
 * readable table. Pure.
 */
import type { ProbeResult } from './probe.ts';

/** One run, as printed. Field names and meanings are a public contract (docs/probes.md). */
export interface ProbeLine {
  readonly ok: boolean;
  readonly error_type: string | null;
  readonly status: number | null;
  readonly dns_ms: number | null;
  readonly connect_ms: number | null;
  readonly tls_ms: number | null;
  readonly ttfb_ms: number | null;
  readonly ttft_ms: number | null;
  readonly total_ms: number;
  readonly chunks: number;
  readonly chunk_gaps_ms: readonly number[];
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly tokens_per_s: number | null;
  readonly cost_usd: number | null;
}

const ms = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

export function probeLine(r: ProbeResult): ProbeLine {
  return {
    ok: r.status === 'ok', error_type: r.errorType, status: r.httpStatus,
    dns_ms: ms(r.timings.dnsMs), connect_ms: ms(r.timings.connectMs), tls_ms: ms(r.timings.tlsMs), ttfb_ms: ms(r.timings.ttfbMs),
    ttft_ms: ms(r.timings.ttftMs), total_ms: ms(r.timings.totalMs) as number, chunks: r.chunks, chunk_gaps_ms: r.chunkGapsMs.map((g) => ms(g) as number),
    input_tokens: r.inputTokens, output_tokens: r.outputTokens,
    tokens_per_s: r.tokensPerS === null ? null : Math.round(r.tokensPerS * 100) / 100,
    cost_usd: r.costUsd === null ? null : Number(r.costUsd.toPrecision(6)),
  };
}

export interface Spread {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}
export interface ProbeSummary {
  readonly count: number;
  readonly ok: number;
  readonly failed: number;
  readonly error_types: Readonly<Record<string, number>>;
  readonly ttft_ms: Spread;
  readonly total_ms: Spread;
}

/** Quantile with linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

const spread = (values: (number | null)[]): Spread => {
  const s = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { p50: ms(quantile(s, 0.5)), p95: ms(quantile(s, 0.95)), max: ms(s.at(-1) ?? null) };
};

/** Summary over runs; TTFT over the runs that had one, total over successful runs (failures end early). */
export function probeSummary(results: readonly ProbeResult[]): ProbeSummary {
  const ok = results.filter((r) => r.status === 'ok');
  const errorTypes: Record<string, number> = {};
  for (const r of results) if (r.errorType !== null) errorTypes[r.errorType] = (errorTypes[r.errorType] ?? 0) + 1;
  return {
    count: results.length, ok: ok.length, failed: results.length - ok.length, error_types: errorTypes,
    ttft_ms: spread(ok.map((r) => r.timings.ttftMs)),
    total_ms: spread(ok.map((r) => r.timings.totalMs)),
  };
}

const cell = (v: number | string | null, width: number, digits = 1): string => (v === null ? '-' : typeof v === 'number' ? v.toFixed(digits) : v).padStart(width);

/** The table format: one row per run, then the summary lines. */
export const probeTable = {
  header: `${'#'.padStart(4)} ${'result'.padStart(16)} ${'http'.padStart(4)} ${'dns'.padStart(7)} ${'connect'.padStart(7)} ${'tls'.padStart(7)} ${'ttfb'.padStart(8)} ${'ttft'.padStart(8)} ${'total'.padStart(8)} ${'chunks'.padStart(6)} ${'in'.padStart(6)} ${'out'.padStart(6)} ${'tok/s'.padStart(7)} ${'cost $'.padStart(10)}   (ms)`,
  row(i: number, r: ProbeResult): string {
    const t = r.timings;
    return `${String(i).padStart(4)} ${(r.errorType ?? 'ok').padStart(16)} ${cell(r.httpStatus, 4, 0)} ${cell(t.dnsMs, 7)} ${cell(t.connectMs, 7)} ${cell(t.tlsMs, 7)} ${cell(t.ttfbMs, 8)} ${cell(t.ttftMs, 8)} ${cell(t.totalMs, 8)} ${cell(r.chunks, 6, 0)} ${cell(r.inputTokens, 6, 0)} ${cell(r.outputTokens, 6, 0)} ${cell(r.tokensPerS, 7)} ${cell(r.costUsd, 10, 6)}`;
  },
  summary(s: ProbeSummary): string {
    const line = (name: string, x: Spread): string => `${name.padEnd(6)} p50 ${cell(x.p50, 9)}  p95 ${cell(x.p95, 9)}  max ${cell(x.max, 9)} ms`;
    return `\n${s.ok}/${s.count} ok${s.failed > 0 ? ` (${Object.entries(s.error_types).map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}\n${line('ttft', s.ttft_ms)}\n${line('total', s.total_ms)}\n`;
  },
};
